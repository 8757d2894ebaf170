package dev.ledger.cli.audit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks packets and runs their verify.sh with /bin/sh, as an auditor would. */
final class PacketFiles {
  private PacketFiles() {
  }

  /** The packet's files by name, in the order the zip holds them. */
  static SortedMap<String, byte[]> entries(byte[] zip) throws IOException {
    SortedMap<String, byte[]> files = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  /** Writes the files into a new directory. */
  static Path unpack(SortedMap<String, byte[]> files) throws IOException {
    Path dir = Files.createTempDirectory("ledger-packet-");
    for (var e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    return dir;
  }

  /** What {@code sh verify.sh args...} printed and its exit status. */
  record Run(int status, String output) {
  }

  static Run verify(Path dir, String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "sh";
    command[1] = "verify.sh";
    System.arraycopy(args, 0, command, 2, args.length);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("verify.sh did not finish within 120 s: " + output);
    }
    return new Run(p.exitValue(), output);
  }
}
