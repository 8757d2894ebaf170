package dev.ledger.cli.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.PatternScope;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.PromotionEligibilityChanged;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.kafka.TopicAdmin;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import dev.ledger.events.rules.PatternStats;
import dev.ledger.events.rules.PromotionRule;
import dev.ledger.projector.streams.StreamsTopics;
import dev.ledger.testkit.SharedInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Scale-out with real processes: two {@code ledger streams} instances (same application id, exactly_once_v2)
 * share the partitions while signed evidence and incidents flow in; each is killed with SIGKILL mid-stream once
 * and restarted on its state directory. When the group has committed past every input and no transaction is
 * open on the outputs, a read_committed read of the outputs holds every bundle sealed exactly once in gapless,
 * correctly hashed chains, and pattern stats equal to a clean fold of the inputs, one update per input event.
 */
class StreamsScaleOutIT {
  private static final int SITES = 12;
  private static final int ROUNDS = 40;
  private static final int PHASES = 4;
  /** Short, so a killed instance's partitions move within seconds instead of Kafka's 45. */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration START = Duration.ofMinutes(2);
  private static final Duration SETTLE = Duration.ofMinutes(3);
  private static final String[] SIGNATURES = {
      PatternSignature.of("backup_failed", "backup", null, null, null),
      PatternSignature.of("firewall_drift", "firewall", null, null, null)};

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final Map<String, KeyPair> keys = new LinkedHashMap<>();
  /** evidence event id → the bundle submitted, per site in submission order. */
  private final Map<String, Map<UUID, EvidenceSubmitted>> submitted = new TreeMap<>();
  /** Pattern-stats key → the fold of its input events, and how many input events it had. */
  private final Map<String, PatternStats> folds = new TreeMap<>();
  private final Map<String, Integer> updates = new HashMap<>();

  @Test
  void killingEitherInstanceMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
    String bootstrap = SharedInfra.kafka().bootstrapServers();
    String run = "scale-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    StreamsTopics topics = StreamsTopics.prefixed(run);
    try (var admin = SharedInfra.kafka().admin()) {
      TopicAdmin.ensureTopics(admin, topics.specs(), Duration.ofSeconds(30));
    }
    Path data = Files.createTempDirectory("ledger-scale-it-");
    Outputs outputs = new Outputs(bootstrap, run + "streams", topics);
    StreamsProcess a = StreamsProcess.start(bootstrap, data, "a", run, SESSION_TIMEOUT);
    StreamsProcess b = StreamsProcess.start(bootstrap, data, "b", run, SESSION_TIMEOUT);
    List<StreamsProcess> all = new ArrayList<>(List.of(a, b));
    try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
      register(producer, topics);
      a.awaitRunning(START);
      b.awaitRunning(START);

      int perPhase = ROUNDS / PHASES;
      produce(producer, topics, 0, perPhase);
      outputs.awaitSealed(SITES * 2, START);

      produce(producer, topics, perPhase, 2 * perPhase);
      a.kill(); // mid-stream: both instances are working through the rounds just sent
      a = StreamsProcess.start(bootstrap, data, "a", run, SESSION_TIMEOUT);
      all.add(a);
      a.awaitRunning(START);

      produce(producer, topics, 2 * perPhase, 3 * perPhase);
      b.kill();
      produce(producer, topics, 3 * perPhase, ROUNDS);
      b = StreamsProcess.start(bootstrap, data, "b", run, SESSION_TIMEOUT);
      all.add(b);
      b.awaitRunning(START);

      outputs.awaitSettled(SETTLE, all);
      assertSealedExactlyOnce(outputs.readAll(topics.sealedEvidence()));
      assertPatternStatsEqualACleanFold(outputs.readAll(topics.patternStats()));
      assertEligibilityChangesFlip(outputs.readAll(topics.promotionEligibility()));
      assertThat(outputs.readAll(topics.deadLetter())).as("nothing rejected").isEmpty();
      assertThat(a.alive() && b.alive()).as(a.tail() + "\n" + b.tail()).isTrue();
    } finally {
      for (StreamsProcess p : all) {
        p.close();
      }
    }
  }

  private void register(KafkaProducer<String, byte[]> producer, StreamsTopics topics) {
    for (int s = 0; s < SITES; s++) {
      String site = "site-" + s;
      KeyPair pair = Signing.generateKeyPair();
      keys.put(site, pair);
      send(producer, topics.registry(), site, Envelope.of(site, null, now,
          new ApplianceRegistered(appliance(s), site, "host", Signing.encodePublicKey(pair.getPublic()), "1")));
    }
    producer.flush();
  }

  /** Rounds {@code from} (inclusive) to {@code to}: per site one signed bundle, one detection, one resolution. */
  private void produce(KafkaProducer<String, byte[]> producer, StreamsTopics topics, int from, int to) {
    for (int round = from; round < to; round++) {
      for (int s = 0; s < SITES; s++) {
        String site = "site-" + s;
        EvidenceSubmitted bundle = new EvidenceSubmitted("bundle-" + round, now,
            List.of(new EvidenceCheck("backup", round % 5 == 0 ? CheckStatus.FAIL : CheckStatus.PASS, "host-1",
                null, "164.308(a)(7)")));
        Envelope evidence = Signing.sign(Envelope.of(site, appliance(s), now, bundle), keys.get(site).getPrivate());
        submitted.computeIfAbsent(site, k -> new LinkedHashMap<>()).put(evidence.eventId(), bundle);
        send(producer, topics.evidence(), site, evidence);

        String signature = SIGNATURES[s % SIGNATURES.length];
        String incident = IncidentIds.next(now);
        IncidentDetected detected = new IncidentDetected(incident, "host-1", s % 2 == 0 ? "backup_failed"
            : "firewall_drift", "high", s % 2 == 0 ? "backup" : "firewall", null, null, null, signature, null);
        IncidentResolved resolved = new IncidentResolved(incident, ResolutionLevel.L2, "restart",
            ResolutionOutcome.SUCCESS, 900, signature);
        send(producer, topics.incidents(), site, Envelope.of(site, appliance(s), now, detected));
        send(producer, topics.incidents(), site, Envelope.of(site, appliance(s), now, resolved));
        for (String owner : List.of(site, Envelope.FLEET_SITE_ID)) {
          String key = owner + "|" + signature;
          folds.merge(key, PatternStats.empty(signature).apply(detected, now).apply(resolved),
              (old, x) -> old.apply(detected, now).apply(resolved));
          updates.merge(key, 2, Integer::sum);
        }
      }
    }
    producer.flush();
  }

  private void assertSealedExactlyOnce(List<ConsumerRecord<String, byte[]>> sealed) {
    Map<String, List<EvidenceSealed>> chains = new TreeMap<>();
    sealed.forEach(r -> chains.computeIfAbsent(r.key(), k -> new ArrayList<>())
        .add((EvidenceSealed) EventSerde.deserialize(r.value()).payload()));
    Map<String, Integer> sizes = new TreeMap<>();
    chains.forEach((site, chain) -> sizes.put(site, chain.size()));
    assertThat(sealed).as("sealed bundles per site: " + sizes).hasSize(SITES * ROUNDS);
    assertThat(chains.keySet()).isEqualTo(submitted.keySet());
    chains.forEach((site, chain) -> {
      Map<UUID, EvidenceSubmitted> bundles = submitted.get(site);
      assertThat(chain).as(site).extracting(EvidenceSealed::evidenceEventId)
          .containsExactlyInAnyOrderElementsOf(bundles.keySet());
      assertThat(chain).as(site).extracting(EvidenceSealed::chainPosition)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, ROUNDS).boxed().toList());
      String prev = EvidenceChain.GENESIS_PREV_HASH;
      for (EvidenceSealed link : chain) {
        String bundleHash = EvidenceChain.bundleHash(bundles.get(link.evidenceEventId()));
        assertThat(link.bundleHash()).as(site + " #" + link.chainPosition()).isEqualTo(bundleHash);
        assertThat(link.prevHash()).as(site + " #" + link.chainPosition()).isEqualTo(prev);
        assertThat(link.chainHash()).as(site + " #" + link.chainPosition())
            .isEqualTo(EvidenceChain.chainHash(bundleHash, prev, link.chainPosition()));
        prev = link.chainHash();
      }
    });
  }

  private void assertPatternStatsEqualACleanFold(List<ConsumerRecord<String, byte[]>> stats) {
    Map<String, List<PatternStatsChanged>> byKey = new TreeMap<>();
    stats.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
        .add((PatternStatsChanged) EventSerde.deserialize(r.value()).payload()));
    assertThat(byKey.keySet()).isEqualTo(folds.keySet());
    byKey.forEach((key, changes) -> {
      // Updates are coalesced per publish interval: each one further than the last (every event adds to a
      // counter), never past the events sent, and the last one the clean fold. A lost event leaves the last one
      // short; an event applied twice takes it past the fold.
      List<Long> counted = changes.stream().map(c -> c.occurrences() + c.l1Resolutions() + c.l2Resolutions()
          + c.l3Resolutions()).toList();
      assertThat(counted).as(key).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates()
          .allSatisfy(n -> assertThat(n).isBetween(1L, (long) updates.get(key)));
      PatternStats fold = folds.get(key);
      boolean fleet = key.startsWith(Envelope.FLEET_SITE_ID + "|");
      int sites = fleet ? SITES / SIGNATURES.length : 1;
      assertThat(changes.get(changes.size() - 1)).as(key).isEqualTo(fold.toEvent(
          fleet ? PatternScope.FLEET : PatternScope.SITE, sites, PromotionRule.isEligible(fold, Instant.now())));
    });
  }

  private void assertEligibilityChangesFlip(List<ConsumerRecord<String, byte[]>> changes) {
    Map<String, List<Boolean>> byKey = new TreeMap<>();
    changes.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
        .add(((PromotionEligibilityChanged) EventSerde.deserialize(r.value()).payload()).eligible()));
    assertThat(byKey.keySet()).isEqualTo(folds.keySet());
    byKey.forEach((key, flips) -> {
      for (int i = 0; i < flips.size(); i++) {
        assertThat(flips.get(i)).as(key + " change " + i + " of " + flips).isEqualTo(i % 2 == 0);
      }
    });
  }

  private static String appliance(int site) {
    return "app-" + site;
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, Envelope envelope) {
    producer.send(new ProducerRecord<>(topic, key, EventSerde.serialize(envelope)));
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
  }
}
