package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.PostgresEndpoint;
import dev.ledger.testkit.SharedInfra;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Given an empty database, {@code ledger migrate} brings it to the current schema; a second run changes nothing. */
class MigrateCommandIT {

  @Test
  void migratesOnceThenChangesNothing() {
    PostgresEndpoint pg = SharedInfra.postgres();
    pg.newDatabase("migrate_command_it");
    String url = pg.jdbcUrl("migrate_command_it") + "?user=" + pg.user() + "&password=" + pg.password();

    StringWriter first = new StringWriter();
    assertThat(run(first, "migrate", "--jdbc-url", url)).isZero();
    assertThat(first.toString()).containsPattern("[1-9][0-9]* migration\\(s\\) applied, schema at version [0-9]+");
    String version = first.toString().replaceAll("(?s).*schema at version ([0-9]+).*", "$1");

    StringWriter second = new StringWriter();
    assertThat(run(second, "migrate", "--jdbc-url", url)).isZero();
    assertThat(second.toString()).contains(": 0 migration(s) applied, schema at version " + version);
    assertThat(second.toString()).doesNotContain("password=" + pg.password() + "&").contains("password=***");
  }

  private static int run(StringWriter out, String... args) {
    CommandLine cli = LedgerCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    return cli.execute(args);
  }
}
