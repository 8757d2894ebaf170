package dev.ledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the bridge's own JVM at random points while it records and relays, many times. After the last restart
 * every acknowledged incident is in SQLite exactly once, and Kafka holds every event of the database (acknowledged
 * or not) at least once: no gaps.
 */
class CrashIT {
  private static final Pattern ACK = Pattern.compile("ACK (INC-\\d{20}[0-9a-f]{4}) ([0-9a-f-]{36})");
  private static final Pattern EV = Pattern.compile("EV ([0-9a-f-]{36}) (\\S+Z)");
  private static final int KILLS = 8;

  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveKillNineAndReachKafkaWithoutGaps() throws Exception {
    String site = "site-crash-" + UUID.randomUUID().toString().substring(0, 8);
    String bootstrap = Broker.bootstrap();
    Random random = new Random();
    Map<String, String> acked = new HashMap<>();
    Map<String, Instant> evidence = new HashMap<>();
    for (int round = 0; round < KILLS; round++) {
      Process child = new ProcessBuilder(javaBin(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          CrashChild.class.getName(), dir.toString(), site, "app-crash", bootstrap)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      CountDownLatch started = new CountDownLatch(1);
      Thread reader = new Thread(() -> readAcks(child, started, acked, evidence));
      reader.start();
      assertThat(started.await(60, TimeUnit.SECONDS)).as("child started").isTrue();
      int before = size(acked);
      int target = 20 + random.nextInt(300); // a random point in the run: after this many more acknowledgements
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (size(acked) < before + target && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();
    }
    assertThat(acked).hasSizeGreaterThan(KILLS * 20);
    assertThat(evidence).isNotEmpty();
    System.out.printf("crash test: %d kills, %d acknowledged incidents, %d acknowledged bundles%n", KILLS,
        acked.size(), evidence.size());
    try (AgentBridge bridge = AgentBridge.start(BridgeConfig.of(site, "app-crash", dir, bootstrap).withHttpPort(-1)
        .withEvidenceQueue(100_000, 1_000, Duration.ofMillis(200)))) {
      Path db = bridge.config().databaseFile();
      for (Map.Entry<String, String> e : acked.entrySet()) {
        assertThat(Db.count(db, "SELECT count(*) FROM incidents WHERE id = '" + e.getKey() + "' AND event_id = '"
            + e.getValue() + "'")).as(e.getKey()).isEqualTo(1);
      }
      Set<String> everyEvent = new HashSet<>(Db.strings(db, "SELECT event_id FROM incidents"));
      everyEvent.addAll(acked.values());
      everyEvent.addAll(evidence.keySet());
      Await.until("outbox and evidence queue drained", Duration.ofSeconds(120),
          () -> bridge.queueStatus().equals(new Api.QueueStatus(0, 0, 0)));
      TopicReader.Seen seen = TopicReader.read(bootstrap, site, everyEvent, bridge.identity().publicKey());
      assertThat(TopicReader.missing(everyEvent, seen)).isEmpty();
      assertThat(seen.badSignatures()).isZero();
      assertThat(seen.evidenceCheckedAt()).containsAll(evidence.values());
    }
  }

  static void readAcks(Process child, CountDownLatch started, Map<String, String> acked,
      Map<String, Instant> evidence) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("STARTED")) {
          started.countDown();
        }
        var m = ACK.matcher(line);
        if (m.matches()) {
          synchronized (acked) {
            acked.put(m.group(1), m.group(2));
          }
        }
        var e = EV.matcher(line);
        if (e.matches()) {
          synchronized (evidence) {
            evidence.put(e.group(1), Instant.parse(e.group(2)));
          }
        }
      }
    } catch (java.io.IOException e) {
      // the child died mid-line: the acknowledgements read so far stand
    }
  }

  static int size(Map<String, String> acked) {
    synchronized (acked) {
      return acked.size();
    }
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

}
