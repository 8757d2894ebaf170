package dev.ledger.bridge;

import dev.ledger.bridge.Api.Suppression;
import dev.ledger.bridge.Api.SuppressionFilter;
import dev.ledger.bridge.store.AgentDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Operator reads of a bridge's data directory that need no running bridge (and make no key pair). */
public final class Operator {
  /** Which site and appliance a data directory belongs to, as its bridge recorded on its first run. */
  public record Registered(String siteId, String applianceId) {
  }

  private Operator() {
  }

  /** The site and appliance of the bridge whose data directory this is. */
  public static Registered registered(Path dataDir) {
    Path file = requireDatabase(dataDir);
    try (Connection c = AgentDatabase.open(file); var s = c.createStatement(); var rs = s.executeQuery(
        "SELECT (SELECT value FROM bridge_meta WHERE key = 'site_id'),"
            + " (SELECT value FROM bridge_meta WHERE key = 'appliance_id')")) {
      rs.next();
      if (rs.getString(1) == null || rs.getString(2) == null) {
        throw BridgeException.badInput("the agent database at " + file + " has no registered appliance yet");
      }
      return new Registered(rs.getString(1), rs.getString(2));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Path requireDatabase(Path dataDir) {
    Path file = dataDir.resolve("agent.db");
    if (!Files.exists(file)) {
      throw BridgeException.badInput("no agent database at " + file + "; check --data-dir");
    }
    return file;
  }

  /** The active suppressions in the agent database under {@code dataDir}. */
  public static List<Suppression> suppressions(Path dataDir, SuppressionFilter filter) {
    Path file = requireDatabase(dataDir);
    try (Connection c = AgentDatabase.open(file)) {
      return IncidentOps.Suppressions.list(c, filter);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
