package dev.ledger.cli.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.api.audit.Checkpointer;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.kafka.Topics;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger audit checkpoint}: signs a checkpoint of every evidence log that grew, now. */
@Command(
    name = "checkpoint",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Sign a checkpoint (C2SP signed note) of every site's evidence log that grew since its latest checkpoint,",
        "with the ledger key of --data-dir (made on first use), and publish it to Kafka. 'ledger dev' also does",
        "this at an interval."
    })
public final class AuditCheckpointCommand implements Callable<Integer> {
  @Mixin LedgerConnection connection;

  @Option(names = "--kafka-bootstrap", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT",
      description = "The ledger's Kafka (default: ${DEFAULT-VALUE}).")
  String kafkaBootstrap;

  @Option(names = "--site", paramLabel = "SITE", description = "Only this site's log (default: every site).")
  String site;

  @Option(names = "--topic", hidden = true, description = "The checkpoint topic (tests).")
  String topic = Topics.EVIDENCE_CHECKPOINTS.name();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (HikariDataSource ds = connection.open();
        Checkpointer checkpointer = new Checkpointer(ds, kafkaBootstrap, topic, connection.signingKey(),
            Clock.systemUTC())) {
      List<EvidenceLogCheckpointed> made = checkpointer.checkpoint(site);
      for (EvidenceLogCheckpointed c : made) {
        out.printf("%s at size %,d: %s%n", c.origin(), c.treeSize(), c.rootHash());
      }
      out.printf("signed %d checkpoint(s) with %s%n", made.size(), checkpointer.key().verifier().text());
      return 0;
    }
  }
}
