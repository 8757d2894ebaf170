package dev.ledger.cli.streams;

import dev.ledger.cli.bench.BenchContext;
import dev.ledger.cli.bench.BenchResult;
import dev.ledger.cli.bench.BenchScenario;
import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.crypto.Signing;
import dev.ledger.projector.streams.StreamsSettings;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Evidence sealing (verify, check, chain) with exactly-once, beside the raw Ed25519 verify rate of this machine
 * over the same signed envelopes, measured in the same run.
 */
public final class EvidenceSealingBenchScenario implements BenchScenario {
  static final String RAW = "ed25519-verify";
  private static final int BUNDLES = 50_000;
  private static final int SITES = 200;

  @Override
  public String name() {
    return "streams-evidence-sealing";
  }

  @Override
  public String description() {
    return "signed evidence sealed into per-site chains, exactly_once_v2, vs raw Ed25519 verify";
  }

  @Override
  public List<BenchResult> run(BenchContext context) throws Exception {
    int count = context.count(BUNDLES);
    // A discarded warm-up round on an app and topics of its own, as in the pattern-stats bench: the measured round
    // then runs on compiled code (a cold run sealed 0.36× the verify rate at 25,000 bundles, 0.61× at 100,000).
    StreamsSettings warmUp = BenchSupport.freshApp(context.bootstrapServers(), context.workDir(), "sealing-warm");
    Load warm = load(context, warmUp, count / 2);
    verifyAll(warm.envelopes(), warm.keys());
    BenchSupport.runUntilCaughtUp(warmUp, Set.of(warmUp.topics().evidence(), warmUp.topics().registry()), List.of());

    StreamsSettings settings = BenchSupport.freshApp(context.bootstrapServers(), context.workDir(), "sealing");
    Load load = load(context, settings, count);
    count = (int) BenchSupport.recordCount(context.bootstrapServers(), settings.topics().evidence());
    Duration verify = verifyAll(load.envelopes(), load.keys());
    BenchSupport.Timing sealing = BenchSupport.runUntilCaughtUp(settings,
        Set.of(settings.topics().evidence(), settings.topics().registry()), List.of());
    return List.of(
        BenchResult.raw(RAW, "Ed25519 verify of the same envelopes' raw bytes, one thread (parse included)",
            load.envelopes().size(), "signatures", verify),
        new BenchResult(name(), "evidence → verify + site check + dedupe + chain, EOS v2, 2 threads, after a"
            + " discarded warm-up round, from RUNNING until committed (startup " + sealing.before() + " more)", count,
            "bundles", sealing.flowing(), RAW, null, null));
  }

  /** The signed envelopes written and the appliances' keys. */
  private record Load(List<byte[]> envelopes, List<KeyPair> keys) {
  }

  /** Registers one appliance a site and writes {@code count} signed bundles to the app's evidence topic. */
  private static Load load(BenchContext context, StreamsSettings settings, int count) {
    Instant now = Instant.now();
    List<KeyPair> keys = new ArrayList<>();
    List<byte[]> envelopes = new ArrayList<>(count);
    try (KafkaProducer<String, byte[]> producer = BenchSupport.producer(context.bootstrapServers())) {
      for (int s = 0; s < SITES; s++) {
        KeyPair pair = Signing.generateKeyPair();
        keys.add(pair);
        String site = "site-" + s;
        BenchSupport.produce(producer, settings.topics().registry(), site, EventSerde.serialize(Envelope.of(site,
            null, now, new ApplianceRegistered("app-" + s, site, "host", Signing.encodePublicKey(pair.getPublic()),
                "1.0"))));
      }
      producer.flush();
      for (int i = 0; i < count; i++) {
        int s = i % SITES;
        String site = "site-" + s;
        EvidenceSubmitted bundle = new EvidenceSubmitted("bundle-" + i, now, List.of(
            new EvidenceCheck("backup", CheckStatus.PASS, "host-1", null, "164.308(a)(7)"),
            new EvidenceCheck("encryption", CheckStatus.PASS, "host-1", null, "164.312(a)(2)(iv)")));
        byte[] bytes = EventSerde.serialize(Signing.sign(Envelope.of(site, "app-" + s, now, bundle),
            keys.get(s).getPrivate()));
        envelopes.add(bytes);
        BenchSupport.produce(producer, settings.topics().evidence(), site, bytes);
      }
      producer.flush();
    }
    return new Load(envelopes, keys);
  }

  private static Duration verifyAll(List<byte[]> envelopes, List<KeyPair> keys) {
    PublicKey[] publicKeys = keys.stream().map(KeyPair::getPublic).toArray(PublicKey[]::new);
    long start = System.nanoTime();
    for (int i = 0; i < envelopes.size(); i++) {
      if (!Signing.verify(envelopes.get(i), publicKeys[i % publicKeys.length])) {
        throw new IllegalStateException("signature " + i + " does not verify");
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
