package dev.ledger.api.db;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A row mapper that specializes its delegate once per column layout instead of once per result set. JDBI's
 * {@code ConstructorMapper} matches columns to constructor parameters and looks up a column mapper for each, every
 * time a query returns; the profile of the query API under load (docs/benchmarks.md, issue 6) showed that work at
 * 12% of the server's CPU. The specialized mapper holds only column indexes and the column mappers of the
 * {@link ReadStore}'s own configuration (which no handle changes), so one serves every result set of that layout.
 */
final class LayoutCachedMapper<T> implements RowMapper<T> {
  /** Layouts kept per record type; an API runs a handful of queries per record, so this bound is never reached. */
  static final int MAX_LAYOUTS = 64;

  private final RowMapper<T> delegate;
  private final Map<List<String>, RowMapper<T>> byLayout = new ConcurrentHashMap<>();

  LayoutCachedMapper(RowMapper<T> delegate) {
    this.delegate = delegate;
  }

  @Override
  public T map(ResultSet rs, StatementContext ctx) throws SQLException {
    return specialize(rs, ctx).map(rs, ctx);
  }

  @Override
  public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
    List<String> layout = layout(rs.getMetaData());
    RowMapper<T> mapper = byLayout.get(layout);
    if (mapper == null) {
      mapper = delegate.specialize(rs, ctx);
      if (byLayout.size() < MAX_LAYOUTS) {
        byLayout.put(layout, mapper);
      }
    }
    return mapper;
  }

  /**
   * The column labels, in order: all that the delegate's specialization reads of a result set (JDBI's constructor
   * mapper matches labels to parameters and picks each column mapper by the parameter's type). Type names are left
   * out on purpose: pgjdbc answers each through a synchronized lookup, which cost 4.6% of the API's request threads
   * under load (docs/benchmarks.md, issue 6).
   */
  static List<String> layout(ResultSetMetaData md) throws SQLException {
    int columns = md.getColumnCount();
    List<String> layout = new ArrayList<>(columns);
    for (int i = 1; i <= columns; i++) {
      layout.add(md.getColumnLabel(i));
    }
    return layout;
  }

  int layouts() {
    return byLayout.size();
  }
}
