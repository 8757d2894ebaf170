package dev.ledger.projector.streams;

import dev.ledger.events.rules.PatternStats;
import dev.ledger.projector.streams.PatternBook.PatternState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The pattern-stats stores' values in a small binary form. Every incident reads and writes one site and one fleet
 * entry, and the store cache keeps bytes, so a JSON form cost a Jackson parse per read and a write per update
 * (about a sixth of the stream threads' CPU in a profile). Values start with a version byte: version 2 adds the
 * publishing round the state changed in; version 1 values and values written as JSON by earlier versions (they start
 * with '{') are still read (as of round 0: published), so existing changelogs restore.
 */
final class PatternStateSerde {
  static final Serde<PatternState> SERDE = Serdes.serdeFrom(serializer(), deserializer());
  private static final byte VERSION = 2;
  private static final byte VERSION_WITHOUT_PENDING = 1;

  /** The JSON form of the first versions. */
  record JsonState(PatternStats stats, int distinctSites, boolean eligible) {
  }

  private static final Serde<JsonState> LEGACY_JSON = JsonSerde.of(JsonState.class);

  private PatternStateSerde() {
  }

  static byte[] write(PatternState state) {
    PatternStats s = state.stats();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeUTF(s.patternSignature());
      out.writeLong(s.occurrences());
      out.writeLong(s.l1Resolutions());
      out.writeLong(s.l2Resolutions());
      out.writeLong(s.l3Resolutions());
      out.writeLong(s.successes());
      out.writeLong(s.totalResolutionTimeMs());
      out.writeBoolean(s.lastSeen() != null);
      if (s.lastSeen() != null) {
        out.writeLong(s.lastSeen().getEpochSecond());
        out.writeInt(s.lastSeen().getNano());
      }
      out.writeBoolean(s.lastSuccessfulAction() != null);
      if (s.lastSuccessfulAction() != null) {
        out.writeUTF(s.lastSuccessfulAction());
      }
      out.writeInt(state.distinctSites());
      out.writeBoolean(state.eligible());
      out.writeLong(state.changedInRound());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static PatternState read(byte[] bytes) {
    if (bytes[0] == '{') {
      JsonState json = LEGACY_JSON.deserializer().deserialize(null, bytes);
      return new PatternState(json.stats(), json.distinctSites(), json.eligible(), 0);
    }
    if (bytes[0] != VERSION && bytes[0] != VERSION_WITHOUT_PENDING) {
      throw new IllegalStateException("unknown pattern state version " + bytes[0] + " in a state store");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
      String signature = in.readUTF();
      long occurrences = in.readLong();
      long l1 = in.readLong();
      long l2 = in.readLong();
      long l3 = in.readLong();
      long successes = in.readLong();
      long totalMs = in.readLong();
      Instant lastSeen = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
      String action = in.readBoolean() ? in.readUTF() : null;
      PatternStats stats = new PatternStats(signature, occurrences, l1, l2, l3, successes, totalMs, lastSeen, action);
      int sites = in.readInt();
      boolean eligible = in.readBoolean();
      return new PatternState(stats, sites, eligible, bytes[0] == VERSION ? in.readLong() : 0);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt pattern state in a state store", e);
    }
  }

  private static Serializer<PatternState> serializer() {
    return (topic, state) -> state == null ? null : write(state);
  }

  private static Deserializer<PatternState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }
}
