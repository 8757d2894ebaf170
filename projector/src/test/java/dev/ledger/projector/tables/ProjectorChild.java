package dev.ledger.projector.tables;

import java.util.List;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A projector process for the fault and two-process tests: runs every projection until killed.
 * Arguments: bootstrap servers, JDBC URL, user, password ("" for none), topic prefix, consumer group prefix, and
 * optionally "report" to print the number of events it applied every second.
 */
public final class ProjectorChild {
  private ProjectorChild() {
  }

  public static void main(String[] args) throws InterruptedException {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(args[1]);
    ds.setUser(args[2]);
    if (!args[3].isEmpty()) {
      ds.setPassword(args[3]);
    }
    ProjectorSettings settings = ProjectorSettings.defaults(args[0], ds)
        .withTopics(ProjectorTopics.prefixed(args[4])).withGroupPrefix(args[5]).withMaxPollRecords(2_000);
    Projectors projectors = Projectors.start(settings);
    System.out.println("projector child started");
    while (true) {
      Thread.sleep(1_000);
      if (args.length > 6) {
        System.out.println(projectors.appliedCount());
      }
    }
  }

  /** The command line that runs this class in a child JVM with the test's own class path. */
  static List<String> command(Infra infra, String groupPrefix, String... extra) {
    var pg = dev.ledger.testkit.SharedInfra.postgres();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), ProjectorChild.class.getName(),
        dev.ledger.testkit.SharedInfra.kafka().bootstrapServers(), pg.jdbcUrl(infra.name), pg.user(),
        pg.password() == null ? "" : pg.password(), infra.name.replace('_', '-') + "-", groupPrefix));
    command.addAll(List.of(extra));
    return command;
  }
}
