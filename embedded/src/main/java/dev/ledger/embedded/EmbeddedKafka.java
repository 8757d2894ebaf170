package dev.ledger.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft mode (combined broker and controller, node 1) running inside this JVM, listening
 * on 127.0.0.1. Its log directory survives a restart: storage is formatted once and then reused.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int BIND_ATTEMPTS = 5;

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final DirectoryLock lock;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir, DirectoryLock lock) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
    this.lock = lock;
  }

  /**
   * Formats {@code dataDir} if it is new, starts the broker and waits until it answers. Port 0 picks free ports
   * (retrying on a bind race); a fixed port that is in use fails with a message naming {@code portOption}.
   */
  public static EmbeddedKafka start(Path dataDir, int port, String portOption, Duration timeout) {
    Path logDir = DataDirectory.prepare(dataDir, "--data-dir");
    Ports.requireFree(port, "Kafka", portOption);
    DirectoryLock lock = DirectoryLock.acquire(logDir, "Kafka", "--data-dir");
    try {
      for (int attempt = 1; ; attempt++) {
        int brokerPort = port == 0 ? Ports.freePort() : port;
        int controllerPort = Ports.freePort();
        try {
          return startOnce(logDir, brokerPort, controllerPort, timeout, lock);
        } catch (RuntimeException e) {
          if (!isBindRace(e) || attempt >= BIND_ATTEMPTS || port != 0) {
            throw e instanceof InfrastructureException ? e
                : new InfrastructureException("embedded Kafka did not start in " + logDir + ": " + e.getMessage(), e);
          }
          LOG.debug("port race on attempt {}, retrying", attempt, e);
        }
      }
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static EmbeddedKafka startOnce(
      Path logDir, int port, int controllerPort, Duration timeout, DirectoryLock lock) {
    Properties props = brokerProperties(logDir, port, controllerPort);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    format(logDir, clusterId(logDir));
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    String bootstrap = "127.0.0.1:" + port;
    long started = System.nanoTime();
    try {
      server.startup();
      awaitReady(bootstrap, timeout);
    } catch (RuntimeException e) {
      stopQuietly(server);
      throw e;
    }
    LOG.info("Kafka broker up at {} in {} ms (log dir {})", bootstrap,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), logDir);
    return new EmbeddedKafka(server, bootstrap, logDir, lock);
  }

  static Properties brokerProperties(Path logDir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One broker: internal topics cannot have more replicas than brokers. Without the transaction-state
    // settings, exactly-once producers hang in initTransactions().
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Consumers in tests and demos join at once instead of waiting 3 s for more members.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Topics are created explicitly from the catalogue, with their retention; never by a stray consumer.
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // The log cleaner's dedupe buffer is allocated on the heap, 128 MiB by default: in-process it was most of the
    // live heap of the JVM the broker shares with the API and the projectors, so G1 ran a marking cycle (and a
    // 8-13 ms remark pause) every 1-2 s under load. The compacted topics of one embedded broker are small; 16 MiB
    // holds the offset map of ~600,000 keys per cleaning pass.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
    return p;
  }

  private static String clusterId(Path logDir) {
    Path file = logDir.resolve("ledger-cluster.id");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      String id = Uuid.randomUuid().toString();
      Files.writeString(file, id, StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new InfrastructureException("cannot keep the Kafka cluster id in " + file + ": " + e.getMessage(), e);
    }
  }

  private static void format(Path logDir, String clusterId) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
          .setClusterId(clusterId)
          .setNodeId(1)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir.toString())
          .setDirectories(List.of(logDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new InfrastructureException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }

  private static void awaitReady(String bootstrap, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception e) {
          if (System.nanoTime() > deadline) {
            throw new InfrastructureException("embedded Kafka did not answer at " + bootstrap + " within " + timeout, e);
          }
        }
        sleep(100);
      }
    }
  }

  private static boolean isBindRace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while waiting for Kafka", e);
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded Kafka did not stop cleanly", e);
    }
  }

  /** host:port of the PLAINTEXT listener, for {@code bootstrap.servers}, kcat -b, and friends. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path logDir() {
    return logDir;
  }

  @Override
  public void close() {
    long started = System.nanoTime();
    stopQuietly(server);
    lock.close();
    LOG.info("Kafka broker stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }
}
