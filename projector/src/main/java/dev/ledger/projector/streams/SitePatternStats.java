package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEvent;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.InvalidEventException;
import dev.ledger.events.LedgerException;
import dev.ledger.events.PatternScope;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads incident events (keyed by site): folds detections and resolutions into per-site pattern stats, passes
 * them on keyed by pattern signature for the fleet-wide stats, passes flap suppressions on keyed by incident type,
 * and dead-letters what cannot be read. Eligibility is re-evaluated on the wall clock.
 */
final class SitePatternStats implements Processor<String, byte[], String, Emit> {
  static final String STORE = "site-pattern-stats";

  private final StreamsSettings settings;
  private final Rejecter rejecter;
  private ProcessorContext<String, Emit> context;
  private PatternBook book;

  SitePatternStats(StreamsSettings settings) {
    this.settings = settings;
    this.rejecter = new Rejecter(settings.topics().deadLetter());
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.book = new PatternBook(context.getStateStore(STORE), PatternScope.SITE, settings.topics());
    context.schedule(settings.rules().recencyCheck(), PunctuationType.WALL_CLOCK_TIME,
        now -> book.expire(now).forEach(context::forward));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Envelope envelope;
    try {
      envelope = Envelopes.read(record.key(), record.value());
      if (!(envelope.payload() instanceof IncidentEvent)) {
        throw new InvalidEventException("type", envelope.type() + " is not an incident event");
      }
    } catch (LedgerException e) {
      context.forward(rejecter.reject(record.key(), record.value(), e,
          Rejecter.Source.of(context.recordMetadata().orElseThrow()), record.timestamp()));
      return;
    }
    long now = context.currentSystemTimeMs();
    String site = envelope.siteId();
    List<Record<String, Emit>> out = List.of();
    if (envelope.payload() instanceof IncidentDetected detected) {
      out = book.apply(site, detected.patternSignature(), s -> s.apply(detected, envelope.occurredAt()), 0, now);
      context.forward(record.withKey(detected.patternSignature()).withValue(Emit.fleetPattern(record.value())));
    } else if (envelope.payload() instanceof IncidentResolved resolved) {
      out = book.apply(site, resolved.patternSignature(), s -> s.apply(resolved), 0, now);
      context.forward(record.withKey(resolved.patternSignature()).withValue(Emit.fleetPattern(record.value())));
    } else if (envelope.payload() instanceof FlapSuppressionRecorded flap) {
      context.forward(record.withKey(flap.incidentType()).withValue(Emit.fleetFlap(record.value())));
    } else if (envelope.payload() instanceof FlapSuppressionCleared cleared) {
      context.forward(record.withKey(cleared.incidentType()).withValue(Emit.fleetFlap(record.value())));
    }
    out.forEach(r -> context.forward(r.withTimestamp(record.timestamp())));
  }
}
