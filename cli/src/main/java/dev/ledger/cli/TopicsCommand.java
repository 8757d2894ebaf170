package dev.ledger.cli;

import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger topics}: the topic catalogue, as 'ledger dev' creates it. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = "List the topic catalogue: name, partitions, key, value and retention of every topic.")
final class TopicsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-24s %4s  %-28s %s%n", "TOPIC", "PART", "KEY", "CONFIG");
    for (TopicSpec topic : Topics.all()) {
      Map<String, String> configs = new TreeMap<>(topic.configs());
      out.printf("%-24s %4d  %-28s %s%n", topic.name(), topic.partitions(), topic.key(), configs);
      out.printf("%-24s       %s%n", "", topic.value());
    }
    out.flush();
  }
}
