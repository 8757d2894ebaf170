package dev.ledger.cli.streams;

import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.ResolutionLevel;
import dev.ledger.events.ResolutionOutcome;
import dev.ledger.events.rules.IncidentIds;
import dev.ledger.events.rules.PatternSignature;
import dev.ledger.projector.streams.StreamsSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Incident events through per-site and fleet-wide pattern stats with exactly-once, against one plain consumer
 * reading the same topic in the same run.
 */
public final class PatternStatsBenchScenario implements BenchScenario {
  static final String RAW = "incidents-consume";
  static final String FLOOR = "streams-eos-floor";
  static final String PARSE_FLOOR = "streams-eos-parse-floor";
  private static final int EVENTS = 200_000;
  private static final int SITES = 500;
  private static final int PATTERNS = 40;

  @Override
  public String name() {
    return "streams-pattern-stats";
  }

  @Override
  public String description() {
    return "incident events through pattern stats (site + fleet), exactly_once_v2";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    int count = context.count(EVENTS);
    // A warm-up round first, on topics and an app of its own, discarded: the measured round then sees a JVM whose
    // JIT has compiled the Streams, Jackson and RocksDB paths, as a running service's has. Without it the C2
    // compiler threads took more CPU than the stream threads during the measured seconds (per-thread CPU from
    // /proc), and the 1-second raw consumer was compared with a 6-second app still compiling its code.
    StreamsSettings warmUp = BenchSupport.freshApp(context.bootstrapServers(), context.workDir(), "patterns-warm");
    String warmTopic = warmUp.topics().incidents();
    long warmCount = produce(context, warmTopic, count / 2);
    BenchSupport.rawConsume(context.bootstrapServers(), warmTopic, warmCount);
    BenchSupport.runUntilCaughtUp(warmUp, Set.of(warmTopic), List.of("pattern-by-signature"));
    BenchSupport.runEosFloor(warmUp, warmTopic);

    StreamsSettings settings = BenchSupport.freshApp(context.bootstrapServers(), context.workDir(), "patterns");
    String topic = settings.topics().incidents();
    count = (int) produce(context, topic, count);
    BenchSupport.Timing raw = BenchSupport.rawConsume(context.bootstrapServers(), topic, count);
    BenchSupport.Timing streams =
        BenchSupport.runUntilCaughtUp(settings, Set.of(topic), List.of("pattern-by-signature"));
    BenchSupport.Timing floor = BenchSupport.runEosFloor(settings, topic);
    // The same floor reading every envelope as the app must (EventSerde, strict): the part of the gap to the raw
    // consumer that no topology reading JSON can avoid.
    LongAdder read = new LongAdder();
    BenchSupport.Timing parseFloor = BenchSupport.runEosFloor(settings, topic, "parse-floor", (k, v) -> {
      if (EventSerde.deserialize(v).payload() != null) {
        read.increment();
      }
    });
    if (read.sum() < count) {
      throw new IllegalStateException("the parse floor read " + read.sum() + " of " + count + " envelopes");
    }
    return List.of(
        BenchResult.raw(RAW, "one plain consumer reading the incident topic (6 partitions), from its first records"
            + " (group join " + raw.before() + " more)",
            count, "records", raw.flowing()),
        new BenchResult(name(), "incidents → site + fleet pattern stats (published once a second per changed"
            + " pattern), EOS v2, 2 threads, after a discarded warm-up round, from RUNNING until every input and the"
            + " fleet repartition is committed"
            + " (startup " + streams.before() + " more)", count, "records", streams.flowing(), RAW, null, null),
        new BenchResult(name() + "-cold", "the same, start-up included", count, "records", streams.total(),
            RAW + "-cold", null, null),
        BenchResult.raw(RAW + "-cold", "the plain consumer, group join included", count, "records", raw.total()),
        new BenchResult(FLOOR, "the floor of any exactly-once app here: the same Streams settings (EOS v2, 2 threads,"
            + " 1 s commits) reading the same topic through one no-op foreach, no state, no outputs, from its first"
            + " record until committed (startup " + floor.before() + " more)", count, "records", floor.flowing(), RAW,
            null, null),
        new BenchResult(FLOOR + "-cold", "the same, start-up included", count, "records", floor.total(),
            RAW + "-cold", null, null),
        new BenchResult(PARSE_FLOOR, "the EOS floor with every record's envelope read (EventSerde.deserialize, as"
            + " the app reads it), still no state and no outputs (startup " + parseFloor.before() + " more)", count,
            "records", parseFloor.flowing(), RAW, null, null));
  }

  /** Writes {@code count} incident events (detections and resolutions of recurring patterns); the records written. */
  private static long produce(BenchContext context, String topic, int count) throws Exception {
    Instant now = Instant.now();
    String[] signatures = new String[PATTERNS];
    for (int p = 0; p < PATTERNS; p++) {
      signatures[p] = PatternSignature.of("type-" + p, "check", null, null, null);
    }
    try (KafkaProducer<String, byte[]> producer = BenchSupport.producer(context.bootstrapServers())) {
      for (int i = 0; i < count; i++) {
        String site = "site-" + (i % SITES);
        int p = (i / SITES) % PATTERNS;
        Envelope e = i % 2 == 0
            ? Envelope.of(site, "app-" + site, now, new IncidentDetected(IncidentIds.next(now), "host-1",
                "type-" + p, "high", "check", null, null, null, signatures[p], null))
            : Envelope.of(site, "app-" + site, now, new IncidentResolved(IncidentIds.next(now), ResolutionLevel.L2,
                "restart", ResolutionOutcome.SUCCESS, 900, signatures[p]));
        BenchSupport.produce(producer, topic, site, EventSerde.serialize(e));
      }
      producer.flush();
    }
    return BenchSupport.recordCount(context.bootstrapServers(), topic);
  }
}
