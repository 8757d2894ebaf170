package dev.ledger.api.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** PostgreSQL is up when a connection answers and the schema has been migrated. */
public final class PostgresHealth implements HealthCheck {
  private final DataSource dataSource;
  private final String displayUrl;

  public PostgresHealth(DataSource dataSource, String displayUrl) {
    this.dataSource = dataSource;
    this.displayUrl = displayUrl;
  }

  @Override
  public ComponentHealth check() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(3);
      Map<String, Object> facts = new HashMap<>();
      facts.put("url", displayUrl);
      try (ResultSet rs = s.executeQuery("SHOW server_version")) {
        rs.next();
        facts.put("server_version", rs.getString(1));
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
        if (!rs.next()) {
          return ComponentHealth.down("no migrations applied at " + displayUrl + "; run ./ledger migrate");
        }
        facts.put("schema_version", rs.getString(1));
      }
      return ComponentHealth.up(displayUrl, facts);
    } catch (Exception e) {
      return ComponentHealth.down("PostgreSQL at " + displayUrl + " did not answer: " + e.getMessage());
    }
  }
}
