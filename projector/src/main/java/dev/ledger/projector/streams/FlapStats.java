package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Fleet-wide flap-suppression counts per incident type, after the repartition by incident type. */
final class FlapStats implements Processor<String, byte[], String, Emit> {
  static final String STORE = "fleet-flap-counts";
  /** Keys {@code incident_type|site} of every site where a suppression of that type was recorded. */
  static final String SITES = "fleet-flap-sites";

  private final StreamsTopics topics;
  private ProcessorContext<String, Emit> context;
  private KeyValueStore<String, FlapCounts> counts;
  private KeyValueStore<String, Boolean> sites;

  FlapStats(StreamsSettings settings) {
    this.topics = settings.topics();
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.counts = context.getStateStore(STORE);
    this.sites = context.getStateStore(SITES);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Envelope envelope = EventSerde.deserialize(record.value());
    String type = record.key();
    FlapCounts old = counts.get(type);
    FlapCounts current = old == null ? FlapCounts.none(type) : old;
    FlapCounts next;
    if (envelope.payload() instanceof FlapSuppressionRecorded) {
      boolean newSite = sites.putIfAbsent(type + "|" + envelope.siteId(), Boolean.TRUE) == null;
      next = current.recordedAt(newSite);
    } else if (envelope.payload() instanceof FlapSuppressionCleared) {
      next = current.clearedOne();
    } else {
      return;
    }
    counts.put(type, next);
    context.forward(new Record<>(type, Emit.output(topics.flapStats(), JsonSerde.write(next)), record.timestamp(),
        new RecordHeaders()));
  }
}
