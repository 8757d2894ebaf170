package dev.ledger.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ledger.api.db.ReadStore;
import dev.ledger.api.reads.IncidentReads;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamedSqlTest {
  @Test
  void namesBecomePositionalInOrder() {
    NamedSql sql = NamedSql.parse("SELECT a FROM t WHERE site_id = :site AND x < :to_at LIMIT :limit");
    assertEquals("SELECT a FROM t WHERE site_id = ? AND x < ? LIMIT ?", sql.jdbc());
    assertEquals(List.of("site", "to_at", "limit"), sql.names());
  }

  @Test
  void castsAndQuotedTextStayAsTheyAre() {
    NamedSql sql = NamedSql.parse("SELECT ':not' AS \"a:b\", x::text, 'it''s :x' FROM t WHERE y = :y");
    assertEquals("SELECT ':not' AS \"a:b\", x::text, 'it''s :x' FROM t WHERE y = ?", sql.jdbc());
    assertEquals(List.of("y"), sql.names());
  }

  @Test
  void theApisAggregateBindsTheSiteTwice() {
    NamedSql sql = NamedSql.parse(IncidentReads.siteStatsSql());
    assertEquals(List.of("site", "from", "to", "site"), sql.names());
    assertTrue(sql.jdbc().contains("count(*) FILTER (WHERE status = 'open')"), sql.jdbc());
    assertFalse(sql.jdbc().contains(":"), sql.jdbc());
  }

  @Test
  void theApisScopeAndFirstPage() {
    assertEquals(List.of("partner", "scope_site", "admin", "timeout"), NamedSql.parse(ReadStore.SCOPE).names());
    assertEquals(List.of("site", "limit", "offset"), NamedSql.parse(IncidentReads.firstPageSql()).names());
  }

  @Test
  void anUnterminatedLiteralIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT 'oops FROM t"));
  }
}
