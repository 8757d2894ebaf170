package dev.ledger.api.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

class LayoutCachedMapperTest {
  private final AtomicInteger specializations = new AtomicInteger();

  /** A delegate that counts its specializations and maps every row to the layout's first label. */
  private final RowMapper<String> delegate = new RowMapper<>() {
    @Override
    public String map(ResultSet rs, StatementContext ctx) {
      throw new AssertionError("always specialized first");
    }

    @Override
    public RowMapper<String> specialize(ResultSet rs, StatementContext ctx) throws java.sql.SQLException {
      specializations.incrementAndGet();
      String first = rs.getMetaData().getColumnLabel(1);
      return (r, c) -> first;
    }
  };

  @Test
  void oneSpecializationPerColumnLayout() throws Exception {
    LayoutCachedMapper<String> mapper = new LayoutCachedMapper<>(delegate);
    RowMapper<String> a = mapper.specialize(resultSet("site_id:text", "total:int8"), null);
    RowMapper<String> b = mapper.specialize(resultSet("site_id:text", "total:int8"), null);
    assertSame(a, b);
    assertEquals(1, specializations.get());
    RowMapper<String> other = mapper.specialize(resultSet("partner_id:text", "total:int8"), null);
    assertEquals("partner_id", other.map(null, null));
    assertEquals(2, specializations.get());
    // The same labels with another column type are the same layout: the specialization reads labels only (the
    // metadata proxy answers nothing else, so a lookup of a type would fail here).
    assertSame(a, mapper.specialize(resultSet("site_id:text", "total:numeric"), null));
    assertEquals(2, specializations.get());
    assertEquals(2, mapper.layouts());
    assertEquals("site_id", mapper.map(resultSet("site_id:text", "total:int8"), null));
    assertEquals(2, specializations.get());
  }

  @Test
  void theCacheStopsGrowingAtItsBound() throws Exception {
    LayoutCachedMapper<String> mapper = new LayoutCachedMapper<>(delegate);
    for (int i = 0; i < LayoutCachedMapper.MAX_LAYOUTS + 10; i++) {
      assertEquals("c" + i, mapper.specialize(resultSet("c" + i + ":text"), null).map(null, null));
    }
    assertEquals(LayoutCachedMapper.MAX_LAYOUTS, mapper.layouts());
  }

  /** A result set whose metadata has the given "label:type" columns: it answers their count and labels only. */
  private static ResultSet resultSet(String... columns) {
    List<String> cols = List.of(columns);
    ResultSetMetaData md = (ResultSetMetaData) Proxy.newProxyInstance(LayoutCachedMapperTest.class.getClassLoader(),
        new Class<?>[] {ResultSetMetaData.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getColumnCount" -> cols.size();
          case "getColumnLabel" -> cols.get((Integer) args[0] - 1).split(":")[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (ResultSet) Proxy.newProxyInstance(LayoutCachedMapperTest.class.getClassLoader(),
        new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
          if (method.getName().equals("getMetaData")) {
            return md;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
