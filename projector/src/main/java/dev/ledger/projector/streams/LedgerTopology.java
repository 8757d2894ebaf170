package dev.ledger.projector.streams;

import dev.ledger.projector.streams.EvidenceSealer.ApplianceKey;
import dev.ledger.projector.streams.EvidenceSealer.ChainHead;
import dev.ledger.projector.streams.EvidenceSealer.Pending;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The Streams app as a pure function of its settings. Two sub-topologies read the ledger, plus two behind
 * repartitions:
 * <ol>
 *   <li>registry + evidence (co-partitioned by site) → {@link EvidenceSealer} → sealed evidence, dead letters;</li>
 *   <li>incidents (by site) → {@link SitePatternStats} → per-site pattern stats and eligibility, dead letters;
 *   <ul>
 *     <li>deltas per pattern, repartitioned by signature → {@link FleetPatternStats} → fleet-wide stats and
 *     eligibility;</li>
 *     <li>repartition by incident type → {@link FlapStats} → fleet-wide flap-suppression counts.</li>
 *   </ul></li>
 * </ol>
 * Inputs are read as bytes and parsed inside the processors, so that any record that cannot be accepted goes to
 * the dead-letter topic and the app keeps running.
 */
final class LedgerTopology {
  private static final Consumed<String, byte[]> RAW = Consumed.with(Serdes.String(), Serdes.ByteArray());
  private static final Produced<String, Emit> EMITTED = Produced.with(Serdes.String(), Emit.SERDE);
  /** Pattern states kept as objects per task and store (~350 bytes each); unchanged ones beyond are dropped. */
  private static final int PATTERNS_CACHED_PER_TASK = 20_000;

  private LedgerTopology() {
  }

  static Topology build(StreamsSettings settings) {
    StreamsTopics topics = settings.topics();
    StreamsBuilder builder = new StreamsBuilder();
    store(builder, EvidenceSealer.APPLIANCES, ApplianceKey.class);
    store(builder, EvidenceSealer.CHAIN_HEADS, ChainHead.class);
    store(builder, EvidenceSealer.SEALED_BUNDLES, Long.class);
    store(builder, EvidenceSealer.PENDING, Pending.class);
    // The pattern stores are read and written once per incident: objects in front, serialized once per commit.
    for (String patterns : new String[] {SitePatternStats.STORE, FleetDeltas.STORE, FleetPatternStats.STORE}) {
      builder.addStateStore(ObjectCacheStore.builder(patterns, PatternStateSerde.SERDE, PATTERNS_CACHED_PER_TASK));
    }
    store(builder, SitePatternStats.ROUNDS, Serdes.Long());
    store(builder, FleetPatternStats.ROUNDS, Serdes.Long());
    store(builder, FlapStats.STORE, FlapCounts.class);
    store(builder, FlapStats.SITES, Boolean.class);

    KStream<String, byte[]> registry = builder.stream(topics.registry(), RAW.withName("registry"));
    KStream<String, byte[]> evidence = builder.stream(topics.evidence(), RAW.withName("evidence"));
    registry.merge(evidence, Named.as("registry-and-evidence"))
        .process(() -> new EvidenceSealer(settings), Named.as("evidence-sealer"),
            EvidenceSealer.APPLIANCES, EvidenceSealer.CHAIN_HEADS, EvidenceSealer.SEALED_BUNDLES,
            EvidenceSealer.PENDING)
        .to(Emit.TOPIC, EMITTED.withName("evidence-out"));

    KStream<String, Emit> site = builder.stream(topics.incidents(), RAW.withName("incidents"))
        .process(() -> new SitePatternStats(settings), Named.as("site-pattern-stats"), SitePatternStats.STORE,
            FleetDeltas.STORE, SitePatternStats.ROUNDS);
    site.filter((k, e) -> e.route() == Emit.Route.OUTPUT, Named.as("site-outputs"))
        .to(Emit.TOPIC, EMITTED.withName("site-out"));
    site.filter((k, e) -> e.route() == Emit.Route.FLEET_PATTERN, Named.as("to-fleet-patterns"))
        .mapValues(Emit::value, Named.as("fleet-pattern-bytes"))
        .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("pattern-by-signature"))
        .process(() -> new FleetPatternStats(settings), Named.as("fleet-pattern-stats"), FleetPatternStats.STORE,
            FleetPatternStats.ROUNDS)
        .to(Emit.TOPIC, EMITTED.withName("fleet-out"));
    site.filter((k, e) -> e.route() == Emit.Route.FLEET_FLAP, Named.as("to-fleet-flaps"))
        .mapValues(Emit::value, Named.as("fleet-flap-bytes"))
        .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName("flap-by-incident-type"))
        .process(() -> new FlapStats(settings), Named.as("fleet-flap-stats"), FlapStats.STORE, FlapStats.SITES)
        .to(Emit.TOPIC, EMITTED.withName("flap-out"));
    return builder.build();
  }

  private static <V> void store(StreamsBuilder builder, String name, Class<V> type) {
    store(builder, name, JsonSerde.of(type));
  }

  private static <V> void store(StreamsBuilder builder, String name, Serde<V> values) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
        // Absorb repeated updates of hot keys between commits: fewer changelog writes.
        .withCachingEnabled());
  }
}
