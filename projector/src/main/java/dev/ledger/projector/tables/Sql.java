package dev.ledger.projector.tables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the longer SQL statements, kept as {@code .sql} files beside these classes. */
final class Sql {
  private Sql() {
  }

  static String load(String name) {
    try (InputStream in = Sql.class.getResourceAsStream(name + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + name + ".sql");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
