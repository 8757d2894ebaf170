package dev.ledger.projector.streams;

import dev.ledger.events.ApplianceRegistered;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceSealed;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.LedgerException;
import dev.ledger.events.crypto.Signing;
import dev.ledger.events.rules.EvidenceChain;
import dev.ledger.projector.streams.Rejecter.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Seals each site's evidence chain. Reads the registry and the evidence topics, which are both keyed by site and
 * co-partitioned, so one task owns a site's appliances and its chain: one writer per chain, no lock.
 *
 * <p>For each evidence event: read it, find the appliance's registered key, check the appliance belongs to the
 * event's site, verify the Ed25519 signature over the raw bytes, reject a check time beyond the allowed clock skew,
 * drop a bundle hash already sealed for the site within the dedupe window, then append the next link.
 *
 * <p>Cross-topic order is not guaranteed, so evidence of an appliance not (yet) registered in this task is parked
 * in {@link #PENDING} in arrival order and re-tried when the registration arrives; whatever still waits after the
 * pending timeout goes to the dead-letter topic as {@code unknown_appliance}. Nothing is dropped silently except
 * duplicate bundles, which are counted.
 */
final class EvidenceSealer implements Processor<String, byte[], String, Emit> {
  /** Appliance id → its site and public key. */
  static final String APPLIANCES = "appliances";
  /** Site id → the last link of its chain. */
  static final String CHAIN_HEADS = "chain-heads";
  /** {@code site|bundle_hash} → wall-clock millis it was sealed, kept for the dedupe window. */
  static final String SEALED_BUNDLES = "sealed-bundles";
  /** {@code appliance|offset} → evidence waiting for its appliance's registration. */
  static final String PENDING = "pending-evidence";

  record ApplianceKey(String siteId, String publicKey) {
  }

  record ChainHead(long position, String chainHash) {
  }

  record Pending(String key, byte[] value, long timestamp, Source source, long parkedAt) {
  }

  private final StreamsSettings settings;
  private final Rejecter rejecter;
  private final Map<String, Signing.KeyVerifier> keyCache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Signing.KeyVerifier> eldest) {
      return size() > 10_000;
    }
  };
  private ProcessorContext<String, Emit> context;
  private KeyValueStore<String, ApplianceKey> appliances;
  private KeyValueStore<String, ChainHead> heads;
  private KeyValueStore<String, Long> sealed;
  private KeyValueStore<String, Pending> pending;
  private long duplicates;

  EvidenceSealer(StreamsSettings settings) {
    this.settings = settings;
    this.rejecter = new Rejecter(settings.topics().deadLetter());
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    appliances = context.getStateStore(APPLIANCES);
    heads = context.getStateStore(CHAIN_HEADS);
    sealed = context.getStateStore(SEALED_BUNDLES);
    pending = context.getStateStore(PENDING);
    context.schedule(settings.rules().housekeeping(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Source source = Source.of(context.recordMetadata().orElseThrow());
    if (source.topic().equals(settings.topics().registry())) {
      register(record, source);
    } else {
      seal(new Pending(record.key(), record.value(), record.timestamp(), source, 0));
    }
  }

  private void register(Record<String, byte[]> record, Source source) {
    try {
      Envelope envelope = Envelopes.read(record.key(), record.value());
      if (envelope.payload() instanceof ApplianceRegistered registered) {
        publicKey(registered.publicKey());
        appliances.put(registered.applianceId(), new ApplianceKey(registered.siteId(), registered.publicKey()));
        release(registered.applianceId());
      }
    } catch (LedgerException e) {
      context.forward(rejecter.reject(record.key(), record.value(), e, source, record.timestamp()));
    }
  }

  private void seal(Pending in) {
    long now = context.currentSystemTimeMs();
    try {
      Envelope envelope = Envelopes.read(in.key(), in.value());
      if (!(envelope.payload() instanceof EvidenceSubmitted bundle)) {
        throw new InvalidEventException("type", envelope.type() + " is not an evidence event");
      }
      if (envelope.applianceId() == null) {
        throw new InvalidEventException("appliance_id", "is required on evidence");
      }
      ApplianceKey appliance = appliances.get(envelope.applianceId());
      if (appliance == null) {
        park(envelope.applianceId(), in, now);
        return;
      }
      if (!appliance.siteId().equals(envelope.siteId())) {
        throw new Rejections.ApplianceOfAnotherSite(envelope.applianceId(), envelope.siteId(), appliance.siteId());
      }
      Signing.requireValid(in.value(), publicKey(appliance.publicKey()));
      Instant latest = Instant.ofEpochMilli(now).plus(settings.rules().maxFutureSkew());
      if (bundle.checkedAt().isAfter(latest)) {
        throw new Rejections.CheckTimeInFuture("checked_at " + bundle.checkedAt() + " is more than "
            + settings.rules().maxFutureSkew() + " ahead of " + Instant.ofEpochMilli(now));
      }
      append(envelope, bundle, in.timestamp(), now);
    } catch (LedgerException e) {
      context.forward(rejecter.reject(in.key(), in.value(), e, in.source(), in.timestamp()));
    }
  }

  private void append(Envelope envelope, EvidenceSubmitted bundle, long timestamp, long now) {
    String site = envelope.siteId();
    String bundleHash = EvidenceChain.bundleHash(bundle);
    String dedupeKey = site + "|" + bundleHash;
    Long sealedAt = sealed.get(dedupeKey);
    if (sealedAt != null && now - sealedAt < settings.rules().dedupeWindow().toMillis()) {
      duplicates++;
      return;
    }
    ChainHead head = heads.get(site);
    long position = head == null ? 1 : head.position() + 1;
    String prevHash = head == null ? EvidenceChain.GENESIS_PREV_HASH : head.chainHash();
    String chainHash = EvidenceChain.chainHash(bundleHash, prevHash, position);
    heads.put(site, new ChainHead(position, chainHash));
    sealed.put(dedupeKey, now);
    Envelope link = Envelope.of(site, envelope.applianceId(), Instant.ofEpochMilli(now), new EvidenceSealed(
        envelope.eventId(), bundle.bundleId(), bundle.checkedAt(), position, bundleHash, prevHash, chainHash));
    context.forward(new Record<>(site, Emit.output(settings.topics().sealedEvidence(), EventSerde.serialize(link)),
        timestamp, new RecordHeaders()));
  }

  private void park(String applianceId, Pending in, long now) {
    String key = applianceId + "|" + String.format("%d|%019d", in.source().partition(), in.source().offset());
    pending.put(key, new Pending(in.key(), in.value(), in.timestamp(), in.source(), now));
  }

  /** Re-tries, in arrival order, the evidence that waited for this appliance. */
  private void release(String applianceId) {
    List<KeyValue<String, Pending>> waiting = new ArrayList<>();
    try (KeyValueIterator<String, Pending> it =
        pending.prefixScan(applianceId + "|", Serdes.String().serializer())) {
      it.forEachRemaining(waiting::add);
    }
    for (KeyValue<String, Pending> kv : waiting) {
      pending.delete(kv.key);
      seal(kv.value);
    }
  }

  /** Forgets sealed bundle hashes older than the dedupe window; dead-letters evidence that waited too long. */
  private void sweep(long now) {
    List<String> forget = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = sealed.all()) {
      it.forEachRemaining(kv -> {
        if (now - kv.value >= settings.rules().dedupeWindow().toMillis()) {
          forget.add(kv.key);
        }
      });
    }
    forget.forEach(sealed::delete);
    List<KeyValue<String, Pending>> expired = new ArrayList<>();
    try (KeyValueIterator<String, Pending> it = pending.all()) {
      it.forEachRemaining(kv -> {
        if (now - kv.value.parkedAt() >= settings.rules().pendingTimeout().toMillis()) {
          expired.add(kv);
        }
      });
    }
    for (KeyValue<String, Pending> kv : expired) {
      pending.delete(kv.key);
      Pending p = kv.value;
      String appliance = kv.key.substring(0, kv.key.indexOf('|'));
      context.forward(rejecter.reject(p.key(), p.value(),
          new Rejections.UnknownAppliance(appliance, settings.rules().pendingTimeout().toString()), p.source(),
          p.timestamp()));
    }
  }

  private Signing.KeyVerifier publicKey(String text) {
    return keyCache.computeIfAbsent(text, t -> Signing.keyVerifier(Signing.decodePublicKey(t)));
  }

  /** Duplicate bundles dropped by this task since it started. */
  long duplicates() {
    return duplicates;
  }
}
