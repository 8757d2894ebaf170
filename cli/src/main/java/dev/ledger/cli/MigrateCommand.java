package dev.ledger.cli;

import dev.ledger.migrations.MigrationResult;
import dev.ledger.migrations.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger migrate}: bring the PostgreSQL schema up to date; running it again changes nothing. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Bring the PostgreSQL schema up to date (Flyway); running it again changes nothing.",
        "",
        "Applies the numbered migrations to --jdbc-url, or to the embedded PostgreSQL under --data-dir (started "
            + "for the occasion: stop 'ledger dev' first, or pass the JDBC URL that 'ledger dev' printed)."
    })
final class MigrateCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    stackOptions.validate();
    if (stackOptions.jdbcUrl != null) {
      try (var pool = Stack.pool(stackOptions.jdbcUrl)) {
        return migrate(pool, Stack.redact(stackOptions.jdbcUrl));
      }
    }
    try (PostgresOnly pg = PostgresOnly.open(stackOptions)) {
      return migrate(pg.dataSource(), pg.jdbcUrl());
    }
  }

  private int migrate(javax.sql.DataSource dataSource, String where) {
    MigrationResult result = Migrations.apply(dataSource);
    spec.commandLine().getOut().printf("%s: %d migration(s) applied, schema at version %s%n",
        where, result.applied(), result.schemaVersion());
    return ExitCodes.OK;
  }
}
