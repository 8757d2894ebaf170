package dev.ledger.bridge;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the outbox and the evidence queue to Kafka. Rows are sent byte for byte (the signed envelope); an outbox
 * row is deleted only after the broker acknowledged it and every row before it, so a crash re-sends at most the
 * unacknowledged tail (consumers dedupe on event_id). Evidence that fails backs off per {@link Backoff}.
 */
final class Relay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
  private static final int OUTBOX_BATCH = 2_000;
  /** Outbox batches sent and not yet acknowledged: reading and signing the next overlaps the broker's work. */
  private static final int OUTBOX_IN_FLIGHT = 3;
  private static final int EVIDENCE_BATCH = 500;
  private static final long IDLE_WAIT_MS = 200;
  private static final long OUTAGE_PAUSE_MS = 1_000;
  /** Signing is the relay's CPU cost: one signer per core. */
  private static final int SIGNERS = Math.max(1, Runtime.getRuntime().availableProcessors());
  /**
   * Envelopes under one Ed25519 signature. Each carries a proof of log2 of this many hashes (160 bytes at 32, most
   * of them shared with its neighbours, so lz4 takes much of it back), and the relay signs 1/32 as often: one
   * Ed25519 signature per event capped the relay at the signing rate (~10k events/s a core).
   */
  static final int SIGNATURE_BATCH = 32;

  private final BridgeConfig config;
  private final GroupCommitter committer;
  private final Producer<String, byte[]> producer;
  private final Connection reader;
  private final Thread thread;
  private final Object signal = new Object();
  private volatile boolean stopping;
  private volatile String lastError;
  private volatile long relayed;
  private volatile boolean uplink = true;

  private final Identity identity;
  private final java.util.concurrent.ExecutorService signers;
  /** Used by the relay thread only: the batches in flight, oldest first, and the last outbox seq read. */
  private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();
  private long readUpTo = -1;
  /** Used by the relay thread only: the batch read after the last one sent, being signed. */
  private Signed next;

  Relay(BridgeConfig config, GroupCommitter committer, Path database, Identity identity) throws SQLException {
    this.config = config;
    this.identity = identity;
    this.signers = java.util.concurrent.Executors.newFixedThreadPool(SIGNERS, r -> {
      Thread t = new Thread(r, "bridge-signer");
      t.setDaemon(true);
      return t;
    });
    this.committer = committer;
    this.producer = new KafkaProducer<>(producerProperties(config));
    this.reader = dev.ledger.bridge.store.AgentDatabase.open(database);
    this.thread = new Thread(this::loop, "bridge-relay");
    thread.setDaemon(true);
    thread.start();
  }

  static Properties producerProperties(BridgeConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "agent-bridge-" + config.applianceId());
    // No loss, no duplicates from retries: every in-sync replica has the record before we delete the row.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Batch the outbox drain: a few ms of linger fills large batches at 100k+ events/s.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    // JSON envelopes compress well; less bytes over a small appliance's uplink.
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Give up on an attempt within 30 s when the broker is away, so evidence backs off and the outbox retries
    // from SQLite (the source of truth) instead of holding records in memory for the default two minutes.
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    // A small box: 8 MiB of send buffer keeps the bridge within -Xmx64m.
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(8 * 1024 * 1024));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** Wakes the relay after a commit. */
  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /** Simulates the appliance's network going down (false) and coming back (true). */
  void uplink(boolean up) {
    uplink = up;
    wake();
  }

  boolean healthy() {
    return lastError == null;
  }

  String status() {
    return lastError == null ? "relayed " + relayed + " events" : "retrying: " + lastError;
  }

  private void loop() {
    while (!stopping) {
      if (!uplink) {
        pause(IDLE_WAIT_MS);
        continue;
      }
      int sent = 0;
      Exception failure = null;
      try {
        sent += drainOutbox();
      } catch (Exception e) {
        failure = e;
      }
      try {
        sent += drainEvidence(); // evidence follows its own backoff even while the outbox cannot drain
      } catch (Exception e) {
        failure = failure == null ? e : failure;
      }
      if (stopping) {
        break;
      }
      if (failure != null) {
        lastError = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        LOG.warn("relay attempt failed, retrying: {}", lastError);
        pause(OUTAGE_PAUSE_MS);
      } else {
        lastError = null;
        if (sent == 0) {
          pause(IDLE_WAIT_MS);
        }
      }
    }
  }

  private record Row(long seq, String topic, String key, byte[] bytes, int retryCount) {
  }

  /** A batch of outbox rows handed to the producer, waiting for the broker's acknowledgements. */
  private record InFlight(List<Row> rows, List<Future<RecordMetadata>> acks) {
    boolean done() {
      return acks.stream().allMatch(Future::isDone);
    }
  }

  /** Outbox rows read and being signed on the signer threads, the batch the relay sends next. */
  private record Signed(long firstSeq, List<Future<List<Row>>> parts) {
    List<Row> rows() throws InterruptedException {
      List<Row> out = new ArrayList<>();
      for (Future<List<Row>> part : parts) {
        try {
          out.addAll(part.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("cannot sign an outbox event: " + e.getCause(), e.getCause());
        }
      }
      return out;
    }
  }

  /**
   * One step of the outbox drain, pipelined: the next batch is read and signed on the signer threads while this one
   * is handed to the producer, and up to {@link #OUTBOX_IN_FLIGHT} batches sent earlier wait for their
   * acknowledgements; each batch is deleted once it and every batch before it were acknowledged (rows are deleted
   * in order, never past an unacknowledged one). Returns how many rows it sent or saw acknowledged. Throws when the
   * broker failed a row: the batches in flight and the one being signed are forgotten, their rows stay in the outbox
   * and are read again after the pause (consumers dedupe the re-sent ones on event_id).
   */
  int drainOutbox() throws SQLException, InterruptedException {
    int progress = retireAcknowledged(false);
    if (next == null) {
      next = readAndSign();
    }
    if (next != null && inFlight.size() < OUTBOX_IN_FLIGHT) {
      Signed current = next;
      next = null;
      List<Row> rows;
      try {
        rows = current.rows();
      } catch (RuntimeException | InterruptedException e) {
        // Read these rows again on the next attempt: skipping them would let the delete of a later acknowledged
        // batch (seq <= its last) remove rows that were never sent.
        readUpTo = current.firstSeq() - 1;
        throw e;
      }
      try {
        next = readAndSign(); // the next batch is signed on the signer threads while the producer takes this one
      } finally {
        inFlight.addLast(new InFlight(rows, send(rows)));
      }
      return progress + rows.size();
    }
    return progress + retireAcknowledged(true);
  }

  /** Reads the outbox rows after the last one read and starts signing them; null when there are none. */
  private Signed readAndSign() throws SQLException {
    List<Row> rows = read("SELECT seq, aggregatetype, aggregateid, payload, 0 FROM outbox WHERE seq > " + readUpTo
        + " ORDER BY seq LIMIT ?", OUTBOX_BATCH);
    if (rows.isEmpty()) {
      return null;
    }
    Signed signed = sign(rows);
    readUpTo = rows.get(rows.size() - 1).seq();
    return signed;
  }

  /** Deletes the acknowledged batches at the head of the pipeline; waits for the head one if {@code block}. */
  private int retireAcknowledged(boolean block) throws InterruptedException {
    int retired = 0;
    long deleteUpTo = -1;
    Exception failure = null;
    long firstUnacknowledged = -1;
    while (!inFlight.isEmpty() && (block || inFlight.peekFirst().done())) {
      InFlight head = inFlight.peekFirst();
      if (block) {
        producer.flush(); // the last batch may be waiting for its linger
      }
      block = false;
      for (int i = 0; i < head.rows().size() && failure == null; i++) {
        try {
          head.acks().get(i).get();
          deleteUpTo = head.rows().get(i).seq();
          retired++;
        } catch (ExecutionException e) {
          failure = e;
          firstUnacknowledged = head.rows().get(i).seq();
        }
      }
      if (failure != null) {
        break;
      }
      inFlight.removeFirst();
    }
    if (deleteUpTo >= 0) {
      long upTo = deleteUpTo;
      committer.submit(w -> w.store().update("DELETE FROM outbox WHERE seq <= ?", upTo)).whenComplete((n, e) -> {
        if (e != null) {
          LOG.warn("cannot delete relayed outbox rows (they will be sent again): {}", e.toString());
        }
      });
      relayed += retired;
    }
    if (failure != null) {
      inFlight.clear();
      if (next != null) {
        next.parts().forEach(f -> f.cancel(false));
        next = null;
      }
      readUpTo = firstUnacknowledged - 1; // read again from the first row the broker did not acknowledge
      throw new IllegalStateException("broker did not acknowledge: " + failure.getCause().getMessage(), failure);
    }
    return retired;
  }

  /** Sends the evidence that is due; acknowledged bundles leave the queue, failed ones back off. */
  int drainEvidence() throws SQLException, InterruptedException {
    List<Row> rows = read("SELECT id, topic, msg_key, envelope, retry_count FROM queued_evidence"
        + " WHERE status = 'queued' AND next_retry_at <= '" + Times.text(config.clock().instant())
        + "' ORDER BY id LIMIT ?", EVIDENCE_BATCH);
    if (rows.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> acks = send(rows);
    producer.flush();
    List<Long> acked = new ArrayList<>();
    String error = null;
    for (int i = 0; i < rows.size(); i++) {
      try {
        acks.get(i).get();
        acked.add(rows.get(i).seq());
      } catch (ExecutionException e) {
        error = e.getCause().toString();
        Row r = rows.get(i);
        if (join(committer.submit(EvidenceOps.failed(r.seq(), r.retryCount(), error, config.evidenceRetryCap(),
            config.backoffUnit())))) {
          LOG.error("evidence {} parked as dead after {} attempts: {}", r.seq(), r.retryCount() + 1, error);
        }
      }
    }
    if (!acked.isEmpty()) {
      join(committer.submit(EvidenceOps.acknowledged(acked)));
      relayed += acked.size();
    }
    if (error != null) {
      throw new IllegalStateException("evidence not acknowledged: " + error);
    }
    return rows.size();
  }

  /**
   * Starts signing the rows on the signer threads: each run of {@link #SIGNATURE_BATCH} rows under one batch
   * signature, the runs split evenly over the signers; {@link Signed#rows} gives them back in order.
   */
  private Signed sign(List<Row> rows) {
    int runs = (rows.size() + SIGNATURE_BATCH - 1) / SIGNATURE_BATCH;
    int runsPerTask = Math.max(1, (runs + SIGNERS - 1) / SIGNERS);
    List<Future<List<Row>>> parts = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += runsPerTask * SIGNATURE_BATCH) {
      List<Row> part = rows.subList(from, Math.min(rows.size(), from + runsPerTask * SIGNATURE_BATCH));
      parts.add(signers.submit(() -> signRuns(part)));
    }
    return new Signed(rows.get(0).seq(), parts);
  }

  private List<Row> signRuns(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (int from = 0; from < rows.size(); from += SIGNATURE_BATCH) {
      List<Row> run = rows.subList(from, Math.min(rows.size(), from + SIGNATURE_BATCH));
      List<byte[]> wire = identity.signBatch(run.stream().map(Row::bytes).toList());
      for (int i = 0; i < run.size(); i++) {
        Row r = run.get(i);
        out.add(new Row(r.seq(), r.topic(), r.key(), wire.get(i), 0));
      }
    }
    return out;
  }

  private List<Future<RecordMetadata>> send(List<Row> rows) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    for (Row r : rows) {
      try {
        acks.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.bytes())));
      } catch (RuntimeException e) {
        acks.add(java.util.concurrent.CompletableFuture.failedFuture(e));
      }
    }
    return acks;
  }

  private List<Row> read(String sql, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement p = reader.prepareStatement(sql)) {
      p.setInt(1, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5)));
        }
      }
    }
    return rows;
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot update the agent database: " + e.getCause().getMessage(), e);
    }
  }

  private void pause(long ms) {
    synchronized (signal) {
      try {
        signal.wait(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    wake();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(java.time.Duration.ofSeconds(5));
    signers.shutdownNow();
    try {
      reader.close();
    } catch (SQLException e) {
      LOG.warn("closing the relay's connection: {}", e.getMessage());
    }
  }
}
