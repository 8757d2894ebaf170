package dev.ledger.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a PostgreSQL database up to the ledger's schema: the numbered SQL files under {@code db/migration},
 * applied in order, once each, by Flyway. Safe to call on every start and from several processes at once
 * (Flyway serialises them with a lock). Never cleans a database.
 */
public final class Migrations {
  static final String LOCATION = "classpath:db/migration";
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Applies every pending migration.
   *
   * @throws MigrationException if a script fails (its name is in the message; PostgreSQL rolls that script
   *     back) or if the applied history no longer matches the scripts
   */
  public static MigrationResult apply(DataSource dataSource) {
    return apply(dataSource, null);
  }

  /**
   * Applies every pending migration inside {@code schema} (created if missing; null means the connection's
   * default), with its own history table there: how a blue/green rebuild prepares a fresh copy of the tables.
   */
  public static MigrationResult apply(DataSource dataSource, String schema) {
    Objects.requireNonNull(dataSource, "dataSource");
    ScriptTracker tracker = new ScriptTracker();
    Flyway flyway = flyway(dataSource, tracker, schema);
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayException e) {
      throw new MigrationException(describeFailure(flyway, tracker.running, e), e);
    }
    String version = currentVersion(flyway);
    LOG.info("schema at version {} ({} migration(s) applied now)", version, result.migrationsExecuted);
    return new MigrationResult(result.migrationsExecuted, version);
  }

  /** The version of the last applied migration, e.g. {@code "6"}, or {@code null} if none was ever applied. */
  public static String currentVersion(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    Flyway flyway = flyway(dataSource, new ScriptTracker(), null);
    try {
      return currentVersion(flyway);
    } catch (FlywayException e) {
      throw new MigrationException("cannot read the schema version: " + e.getMessage(), e);
    }
  }

  private static String currentVersion(Flyway flyway) {
    MigrationInfo current = flyway.info().current();
    return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
  }

  private static Flyway flyway(DataSource dataSource, ScriptTracker tracker, String schema) {
    var config = Flyway.configure();
    if (schema != null) {
      config = config.schemas(schema).defaultSchema(schema);
    }
    return config
        .dataSource(dataSource)
        .locations(LOCATION)
        // A misnamed file would otherwise be skipped without a word, and a missing location would migrate nothing.
        .validateMigrationNaming(true)
        .failOnMissingLocations(true)
        .validateOnMigrate(true)
        .cleanDisabled(true)
        // The scripts are plain SQL that must also run by hand; ${...} means nothing in them.
        .placeholderReplacement(false)
        .callbacks(tracker)
        .load();
  }

  private static String describeFailure(Flyway flyway, MigrationInfo running, FlywayException e) {
    if (running != null) {
      return "migration " + running.getScript() + " failed and was rolled back: " + e.getMessage();
    }
    List<String> mismatched = mismatchedScripts(flyway);
    if (!mismatched.isEmpty()) {
      return "applied migrations do not match the scripts " + mismatched
          + " (an applied script was edited, renamed or removed; add a new script instead): " + e.getMessage();
    }
    return "cannot apply migrations: " + e.getMessage();
  }

  /** Best effort: the scripts whose applied history disagrees with the files on the classpath. */
  private static List<String> mismatchedScripts(Flyway flyway) {
    List<String> scripts = new ArrayList<>();
    try {
      for (MigrationInfo info : flyway.info().all()) {
        MigrationState state = info.getState();
        boolean missing = state == MigrationState.MISSING_SUCCESS || state == MigrationState.MISSING_FAILED;
        boolean edited = info.isApplied() && state.isResolved()
            && (!info.isChecksumMatching() || !info.isDescriptionMatching());
        if (missing || edited || state.isFailed()) {
          scripts.add(info.getScript());
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot list mismatched migrations", e);
    }
    return scripts;
  }

  /** Remembers which script is running, so that a failure can name it. */
  private static final class ScriptTracker implements Callback {
    private MigrationInfo running;

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true; // it touches no database
    }

    @Override
    public void handle(Event event, Context context) {
      running = event == Event.BEFORE_EACH_MIGRATE ? context.getMigrationInfo() : null;
    }

    @Override
    public String getCallbackName() {
      return "ledger-script-tracker";
    }
  }
}
