package dev.ledger.projector.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.PatternStatsChanged;
import dev.ledger.events.kafka.DeadLetter;
import dev.ledger.projector.streams.Samples.Appliance;
import dev.ledger.testkit.SharedInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The topology on the real broker with exactly_once_v2: everything arrives once, bad input is dead-lettered. */
class LedgerStreamsIT {
  private static final Duration AWAIT = Duration.ofSeconds(90);

  @Test
  void sealsChainsCountsPatternsAndDeadLettersOnTheRealBrokerExactlyOnce() throws Exception {
    String bootstrap = SharedInfra.kafka().bootstrapServers();
    String run = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    Path state = Files.createTempDirectory("ledger-streams-it-");
    StreamsSettings settings = StreamsSettings.defaults(bootstrap, state)
        .withApplicationId(run + "streams").withTopics(StreamsTopics.prefixed(run));
    StreamsTopics t = settings.topics();

    List<Appliance> appliances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      appliances.add(Appliance.of("app-" + i, "site-" + i));
    }
    int bundlesPerSite = 25;
    int incidentsPerSite = 30;
    try (LedgerStreams app = LedgerStreams.start(settings);
        KafkaProducer<String, byte[]> producer = KafkaHelpers.producer(bootstrap)) {
      Instant now = Instant.now();
      for (Appliance a : appliances) {
        producer.send(new ProducerRecord<>(t.registry(), a.site(), a.registration(now)));
        for (int b = 0; b < bundlesPerSite; b++) {
          producer.send(new ProducerRecord<>(t.evidence(), a.site(), a.evidence(a.bundle("b-" + b, now), now)));
        }
        for (int n = 0; n < incidentsPerSite; n++) {
          producer.send(new ProducerRecord<>(t.incidents(), a.site(), Samples.detected(a.site(), now)));
        }
      }
      byte[] garbage = "\u0000garbage".getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(t.incidents(), "site-0", garbage));
      producer.send(new ProducerRecord<>(t.evidence(), "site-1", garbage));
      producer.flush();

      int total = appliances.size() * bundlesPerSite;
      List<ConsumerRecord<String, byte[]>> sealed =
          KafkaHelpers.readCommitted(bootstrap, t.sealedEvidence(), r -> r.size() >= total, AWAIT);
      assertThat(sealed).hasSize(total);
      Map<String, List<EvidenceSealed>> chains = new HashMap<>();
      sealed.forEach(r -> chains.computeIfAbsent(r.key(), k -> new ArrayList<>())
          .add((EvidenceSealed) EventSerde.deserialize(r.value()).payload()));
      assertThat(chains).hasSize(appliances.size());
      chains.values().forEach(chain -> {
        assertThat(chain).extracting(EvidenceSealed::chainPosition)
            .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, bundlesPerSite).boxed().toList());
        for (int i = 1; i < chain.size(); i++) {
          assertThat(chain.get(i).prevHash()).isEqualTo(chain.get(i - 1).chainHash());
        }
      });

      long fleetOccurrences = (long) appliances.size() * incidentsPerSite;
      List<ConsumerRecord<String, byte[]>> stats = KafkaHelpers.readCommitted(bootstrap, t.patternStats(),
          r -> r.stream().anyMatch(x -> x.key().startsWith("fleet|") && fleetStats(x).occurrences()
              == fleetOccurrences), AWAIT);
      PatternStatsChanged fleet = stats.stream().filter(x -> x.key().startsWith("fleet|"))
          .map(LedgerStreamsIT::fleetStats).reduce((a, b) -> b).orElseThrow();
      assertThat(fleet.occurrences()).isEqualTo(fleetOccurrences);
      assertThat(fleet.distinctSites()).isEqualTo(appliances.size());
      // Updates are coalesced per publish interval; a duplicate under exactly-once would count an incident twice.
      List<Long> fleetCounts = stats.stream().filter(x -> x.key().startsWith("fleet|"))
          .map(x -> fleetStats(x).occurrences()).toList();
      assertThat(fleetCounts).as("never above the incidents sent, never going back").isSorted()
          .allSatisfy(n -> assertThat(n).isBetween(1L, fleetOccurrences));

      List<ConsumerRecord<String, byte[]>> dead =
          KafkaHelpers.readCommitted(bootstrap, t.deadLetter(), r -> r.size() >= 2, AWAIT);
      assertThat(dead).hasSize(2).allSatisfy(r -> {
        assertThat(DeadLetter.read(r.headers(), DeadLetter.REASON_CODE)).isEqualTo("malformed_event");
        assertThat(r.value()).isEqualTo(garbage);
      });
      assertThat(app.healthy()).as(app.status()).isTrue();
    }
  }

  private static PatternStatsChanged fleetStats(ConsumerRecord<String, byte[]> r) {
    return (PatternStatsChanged) EventSerde.deserialize(r.value()).payload();
  }
}
