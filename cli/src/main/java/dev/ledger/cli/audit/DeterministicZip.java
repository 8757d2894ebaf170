package dev.ledger.cli.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A zip whose bytes depend only on its entries: names in sorted order, one fixed DOS timestamp (no time zone, no
 * extended-timestamp extra field), no comment, and entries STORED rather than deflated, so that no zlib version
 * can change a byte.
 */
final class DeterministicZip {
  /** Every entry's modification time: a fixed local date-time in the DOS range, so no extra field is written. */
  static final LocalDateTime TIMESTAMP = LocalDateTime.of(2000, 1, 1, 0, 0);

  private DeterministicZip() {
  }

  static byte[] write(SortedMap<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.setMethod(ZipOutputStream.STORED);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        byte[] data = e.getValue();
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(TIMESTAMP);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a zip in memory", e);
    }
    return bytes.toByteArray();
  }
}
