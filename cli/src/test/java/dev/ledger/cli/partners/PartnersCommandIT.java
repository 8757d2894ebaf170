package dev.ledger.cli.partners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.auth.ApiKeys;
import dev.ledger.api.auth.Caller;
import dev.ledger.cli.CliHarness;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.kafka.Topics;
import dev.ledger.migrations.Migrations;
import dev.ledger.testkit.PostgresEndpoint;
import dev.ledger.testkit.SharedInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** ledger partners: a partner is created with a key shown once; rotation revokes the old key; mistakes exit 2. */
class PartnersCommandIT {
  private static final Pattern KEY = Pattern.compile("lk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");

  @Test
  void createPrintsAWorkingKeyAndRotationReplacesIt() throws Exception {
    PostgresEndpoint pg = SharedInfra.postgres();
    DataSource db = pg.newDatabase("partners_command_it");
    Migrations.apply(db);
    String url = pg.jdbcUrl("partners_command_it") + "?user=" + pg.user() + "&password=" + pg.password();
    String kafka = SharedInfra.kafka().bootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      TopicAdmin.ensureTopics(admin, List.of(Topics.REGISTRY_EVENTS), Duration.ofSeconds(30));
    }
    ApiKeys keys = new ApiKeys(db);

    CliHarness cli = new CliHarness();
    assertThat(cli.run("partners", "create", "--name", "Acme IT", "--kafka-bootstrap", kafka, "--jdbc-url", url))
        .as(cli.err()).isZero();
    String first = key(cli.out());
    assertThat(keys.authenticate(first)).contains(Caller.partner("acme-it", first.substring(3, 19)));

    cli.clear();
    assertThat(cli.run("partners", "create", "--name", "Acme IT", "--kafka-bootstrap", kafka, "--jdbc-url", url))
        .isEqualTo(2);
    assertThat(cli.err()).contains("exists already");

    cli.clear();
    assertThat(cli.run("partners", "rotate-key", "--partner-id", "acme-it", "--jdbc-url", url)).as(cli.err()).isZero();
    String second = key(cli.out());
    assertThat(keys.authenticate(first)).isEmpty();
    assertThat(keys.authenticate(second)).isPresent();

    cli.clear();
    assertThat(cli.run("partners", "rotate-key", "--partner-id", "nobody", "--jdbc-url", url)).isEqualTo(2);
    assertThat(cli.err()).contains("no partner nobody");

    cli.clear();
    assertThat(cli.run("partners", "create", "--name", "X", "--id", "Bad Id!", "--kafka-bootstrap", kafka,
        "--jdbc-url", url)).isEqualTo(2);
  }

  private static String key(String out) {
    Matcher m = KEY.matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group();
  }
}
