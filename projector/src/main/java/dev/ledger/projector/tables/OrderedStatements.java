package dev.ledger.projector.tables;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/**
 * Runs parameterised statements in the order they are added. In batch mode consecutive uses of one statement go
 * to the server as one JDBC batch (pipelined); in naive mode each runs alone. Every argument is text or null and
 * the SQL casts it ({@code ?::timestamptz}), so one binding path serves every column type.
 */
final class OrderedStatements {
  private final Handle handle;
  private final boolean naive;
  private String sql;
  private PreparedBatch batch;

  OrderedStatements(Handle handle, WriteMode mode) {
    this.handle = handle;
    this.naive = mode == WriteMode.NAIVE;
  }

  void add(String statement, String... args) {
    if (naive) {
      Update update = handle.createUpdate(statement);
      for (int i = 0; i < args.length; i++) {
        update.bind(i, args[i]);
      }
      update.execute();
      return;
    }
    if (!statement.equals(sql)) {
      flush();
      sql = statement;
      batch = handle.prepareBatch(statement);
    }
    for (int i = 0; i < args.length; i++) {
      batch.bind(i, args[i]);
    }
    batch.add();
  }

  void flush() {
    if (batch != null && batch.size() > 0) {
      batch.execute();
    }
    batch = null;
    sql = null;
  }

  static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
