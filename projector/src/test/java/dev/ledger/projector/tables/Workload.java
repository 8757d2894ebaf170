package dev.ledger.projector.tables;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EventSerde;
import dev.ledger.events.IncidentEvent;
import dev.ledger.events.kafka.Topics;
import dev.ledger.events.rules.EvidenceChain;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A deterministic mix of every projected event over a number of sites: registrations first, then incidents
 * (detected, resolved, escalated), orders, evidence with its sealed links, pattern stats and a few resent
 * duplicates. Produced chunk by chunk so that a test can kill a projector while events keep arriving.
 */
final class Workload {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private final ProjectorTopics topics;
  private final int sites;
  private final Random random = new Random(42);
  private final Map<String, Deque<String>> open = new HashMap<>();
  private final Map<String, String> chainHeads = new HashMap<>();
  private final Map<String, Long> chainPositions = new HashMap<>();
  private final List<Envelope> recent = new ArrayList<>();
  private long tick;
  private boolean registered;

  Workload(ProjectorTopics topics, int sites) {
    this.topics = topics;
    this.sites = sites;
  }

  /** Sends the next {@code count} events (about; registrations and seals come on top) and waits for the acks. */
  void produce(KafkaProducer<String, byte[]> producer, int count) {
    if (!registered) {
      registered = true;
      send(producer, topics.registry(), Events.partner("p1", T0));
      send(producer, topics.registry(), Events.clientOrg("o1", "p1", T0));
      for (int s = 0; s < sites; s++) {
        send(producer, topics.registry(), Events.site(site(s), T0));
        send(producer, topics.registry(), Events.appliance(site(s), "a-" + site(s), T0));
      }
    }
    for (int i = 0; i < count; i++) {
      next(producer);
    }
    producer.flush();
  }

  private void next(KafkaProducer<String, byte[]> producer) {
    tick++;
    Instant at = T0.plusMillis(tick * 7);
    String site = site(random.nextInt(sites));
    Deque<String> opened = open.computeIfAbsent(site, k -> new ArrayDeque<>());
    int pick = random.nextInt(100);
    if (pick < 45 || opened.isEmpty()) {
      String id = Events.incidentId(at);
      opened.add(id);
      send(producer, topics.incidents(), Events.detected(site, id, "host-" + random.nextInt(5), at));
    } else if (pick < 75) {
      send(producer, topics.incidents(), Events.resolved(site, opened.poll(), at));
    } else if (pick < 80) {
      send(producer, topics.incidents(), Events.escalated(site, opened.poll(), at));
    } else if (pick < 88) {
      String order = "ord-" + tick;
      send(producer, topics.orders(), Events.orderIssued(site, order, "a-" + site, at, at.plusSeconds(3600)));
      send(producer, topics.orders(), Events.orderAcknowledged(site, order, at.plusMillis(1)));
    } else if (pick < 92) {
      evidence(producer, site, at);
    } else if (pick < 96) {
      send(producer, topics.registry(), Events.checkIn(site, "a-" + site, at));
    } else if (pick < 98) {
      send(producer, topics.patternStats(), Events.patternStats(site, Events.signature("patching"), tick, at));
    } else if (!recent.isEmpty()) {
      Envelope again = recent.get(random.nextInt(recent.size()));
      send(producer, again.payload() instanceof IncidentEvent ? topics.incidents() : topics.orders(), again);
    }
  }

  private void evidence(KafkaProducer<String, byte[]> producer, String site, Instant at) {
    // The updates check of a random host: a pass resolves that host's open incidents detected before it.
    Envelope bundle = Events.evidence(site, "b-" + tick, at, List.of(
        Events.check("encryption", random.nextBoolean() ? CheckStatus.PASS : CheckStatus.FAIL, "host-1"),
        Events.check("windows_update", random.nextInt(3) == 0 ? CheckStatus.PASS : CheckStatus.FAIL,
            "host-" + random.nextInt(5))));
    long position = chainPositions.merge(site, 1L, Long::sum);
    Envelope seal = Events.sealed(bundle, position, chainHeads.getOrDefault(site, EvidenceChain.GENESIS_PREV_HASH));
    chainHeads.put(site, ((EvidenceSealed) seal.payload()).chainHash());
    send(producer, topics.evidence(), bundle);
    send(producer, topics.sealedEvidence(), seal);
  }

  private void send(KafkaProducer<String, byte[]> producer, String topic, Envelope e) {
    producer.send(new ProducerRecord<>(topic, Topics.keyFor(e), EventSerde.serialize(e)));
    if (topic.equals(topics.incidents()) || topic.equals(topics.orders())) {
      if (recent.size() < 1000) {
        recent.add(e);
      } else {
        recent.set(random.nextInt(recent.size()), e);
      }
    }
  }

  private static String site(int s) {
    return "site-" + s;
  }
}
