package dev.ledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The shared fixture hands out one broker and one server per JVM, and isolated databases. */
class SharedInfraIT {

  @Test
  void theSameBrokerIsSharedAndAnswers() throws Exception {
    KafkaEndpoint kafka = SharedInfra.kafka();
    assertThat(SharedInfra.kafka()).isSameAs(kafka);
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic("shared-infra-it", 2, (short) 1))).all().get();
      assertThat(admin.listTopics().names().get()).contains("shared-infra-it");
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
    }
  }

  @Test
  void newDatabaseIsEmptyAndIsolated() throws Exception {
    PostgresEndpoint pg = SharedInfra.postgres();
    assertThat(SharedInfra.postgres()).isSameAs(pg);
    DataSource first = pg.newDatabase("shared_infra_a");
    try (Connection c = first.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE only_here (id int)");
    }
    DataSource again = pg.newDatabase("shared_infra_a");
    DataSource other = pg.newDatabase("shared_infra_b");
    for (DataSource ds : List.of(again, other)) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")) {
        rs.next();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }
}
