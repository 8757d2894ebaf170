package dev.ledger.api.audit;

import dev.ledger.api.audit.EvidenceLogStore.Head;
import dev.ledger.api.audit.EvidenceLogStore.StoredCheckpoint;
import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.EvidenceLogCheckpointed;
import dev.ledger.events.merkle.Checkpoint;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.MerkleProofs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs checkpoints of the evidence logs and publishes them to the evidence-checkpoints topic, where the
 * {@code evidence-checkpoints} projection picks them up: so checkpoints are ledger events and survive any rebuild.
 * A site gets a new checkpoint when its log grew past its latest one. Before signing, the root is recomputed
 * from the stored nodes and the log is proven consistent with the latest checkpoint: the ledger never signs a
 * tree head that forks its own history. Runs on demand ({@link #checkpoint}) and at an interval ({@link #every}).
 */
public final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  /** The signing refused: the log does not extend its latest checkpoint. */
  public static final class ForkException extends IllegalStateException {
    public ForkException(String message) {
      super(message);
    }
  }

  private final Jdbi jdbi;
  private final LedgerKey key;
  private final String topic;
  private final Clock clock;
  private final KafkaProducer<String, byte[]> producer;
  private ScheduledExecutorService timer;

  public Checkpointer(DataSource dataSource, String bootstrapServers, String topic, LedgerKey key, Clock clock) {
    this.jdbi = Jdbi.create(dataSource);
    this.key = key;
    this.topic = topic;
    this.clock = clock;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-checkpointer");
    // A checkpoint is ledger history: durable on every in-sync replica, never duplicated or reordered by a retry.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // An on-demand checkpoint has a caller waiting: fail within 15 s rather than the default two minutes.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  public LedgerKey key() {
    return key;
  }

  /** Signs and publishes a checkpoint of every site whose log grew (or only {@code siteId} if not null). */
  public synchronized List<EvidenceLogCheckpointed> checkpoint(String siteId) {
    List<Head> heads = jdbi.withHandle(h -> siteId == null ? EvidenceLogStore.heads(h)
        : EvidenceLogStore.head(h, siteId).map(List::of).orElse(List.of()));
    List<EvidenceLogCheckpointed> made = new ArrayList<>();
    for (Head head : heads) {
      EvidenceLogCheckpointed c = jdbi.withHandle(h -> sign(h, head));
      if (c != null) {
        publish(head.siteId(), c);
        made.add(c);
      }
    }
    return made;
  }

  private EvidenceLogCheckpointed sign(Handle h, Head head) {
    StoredCheckpoint latest = EvidenceLogStore.latestCheckpoint(h, head.siteId()).orElse(null);
    long size = head.treeSize();
    if (latest != null && latest.treeSize() >= size) {
      return null;
    }
    byte[] root = EvidenceLogStore.root(h, head.siteId(), size);
    if (latest != null && latest.treeSize() > 0) {
      List<byte[]> proof = EvidenceLogStore.consistency(h, head.siteId(), latest.treeSize(), size);
      if (!MerkleProofs.verifyConsistency(latest.treeSize(), latest.rootHash(), size, root, proof)) {
        throw new ForkException("the evidence log of " + head.siteId() + " at " + size
            + " leaves does not extend its checkpoint at " + latest.treeSize() + ": refusing to sign");
      }
    }
    Checkpoint checkpoint = new Checkpoint(key.origin(head.siteId()), size, root);
    return new EvidenceLogCheckpointed(checkpoint.origin(), size, HexFormat.of().formatHex(root),
        key.sign(checkpoint));
  }

  private void publish(String siteId, EvidenceLogCheckpointed checkpoint) {
    Envelope envelope = Envelope.of(siteId, null, clock.instant(), checkpoint);
    try {
      producer.send(new ProducerRecord<>(topic, siteId, EventSerde.serialize(envelope)))
          .get(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing a checkpoint of " + siteId, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new CheckpointUnavailable("Kafka did not confirm the checkpoint of " + siteId + ": " + e);
    }
  }

  /** Kafka did not take the checkpoint. */
  public static final class CheckpointUnavailable extends IllegalStateException {
    public CheckpointUnavailable(String message) {
      super(message);
    }
  }

  /** Checkpoints every grown log at this interval, from now on, until closed. */
  public synchronized Checkpointer every(Duration interval) {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ledger-checkpointer");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(() -> {
        try {
          List<EvidenceLogCheckpointed> made = checkpoint(null);
          if (!made.isEmpty()) {
            LOG.info("signed {} evidence log checkpoint(s)", made.size());
          }
        } catch (RuntimeException e) {
          LOG.warn("checkpointing failed, trying again in {}: {}", interval, e.toString());
        }
      }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
