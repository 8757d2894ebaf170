package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.PatternScope;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Fleet-wide pattern stats, after the repartition by pattern signature: the same fold as a site's over every
 * site's detections and resolutions, plus the number of distinct sites that saw the pattern. The envelopes were
 * read and accepted upstream.
 */
final class FleetPatternStats implements Processor<String, byte[], String, Emit> {
  static final String STORE = "fleet-pattern-stats";
  /** Keys {@code signature|site} of every site that saw a pattern. */
  static final String SITES = "fleet-pattern-sites";

  private final StreamsSettings settings;
  private ProcessorContext<String, Emit> context;
  private PatternBook book;
  private KeyValueStore<String, Boolean> sites;

  FleetPatternStats(StreamsSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.book = new PatternBook(context.getStateStore(STORE), PatternScope.FLEET, settings.topics());
    this.sites = context.getStateStore(SITES);
    context.schedule(settings.rules().recencyCheck(), PunctuationType.WALL_CLOCK_TIME,
        now -> book.expire(now).forEach(context::forward));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Envelope envelope = EventSerde.deserialize(record.value());
    String signature = record.key();
    int newSites = sites.putIfAbsent(signature + "|" + envelope.siteId(), Boolean.TRUE) == null ? 1 : 0;
    long now = context.currentSystemTimeMs();
    List<Record<String, Emit>> out = List.of();
    if (envelope.payload() instanceof IncidentDetected detected) {
      out = book.apply(Envelope.FLEET_SITE_ID, signature, s -> s.apply(detected, envelope.occurredAt()),
          newSites, now);
    } else if (envelope.payload() instanceof IncidentResolved resolved) {
      out = book.apply(Envelope.FLEET_SITE_ID, signature, s -> s.apply(resolved), newSites, now);
    }
    out.forEach(r -> context.forward(r.withTimestamp(record.timestamp())));
  }
}
