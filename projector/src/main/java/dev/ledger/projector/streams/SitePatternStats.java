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
import dev.ledger.events.rules.PatternStats;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads incident events (keyed by site): folds detections and resolutions into per-site pattern stats and into
 * the deltas for the fleet-wide stats, passes flap suppressions on keyed by incident type, and dead-letters what
 * cannot be read. On the wall clock, every commit interval, it publishes the changed stats ({@link PatternBook})
 * and hands the fleet deltas on keyed by pattern signature ({@link FleetDeltas}); eligibility is re-evaluated on
 * the wall clock too.
 */
final class SitePatternStats implements Processor<String, byte[], String, Emit> {
  /** The last published round of this processor's {@link PatternBook}. */
  static final String ROUNDS = "site-pattern-rounds";
  static final String STORE = "site-pattern-stats";

  private final StreamsSettings settings;
  private final Rejecter rejecter;
  private ProcessorContext<String, Emit> context;
  private PatternBook book;
  private FleetDeltas fleet;

  SitePatternStats(StreamsSettings settings) {
    this.settings = settings;
    this.rejecter = new Rejecter(settings.topics().deadLetter());
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.book = new PatternBook(STORE, context.getStateStore(STORE), context.getStateStore(ROUNDS),
        PatternScope.SITE, settings.topics());
    this.fleet = new FleetDeltas(context.getStateStore(FleetDeltas.STORE));
    context.schedule(settings.rules().recencyCheck(), PunctuationType.WALL_CLOCK_TIME,
        now -> book.expire(now).forEach(context::forward));
    context.schedule(settings.publishInterval(), PunctuationType.WALL_CLOCK_TIME, now -> {
      book.publish(now).forEach(context::forward);
      fleet.drain(now).forEach(context::forward);
    });
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
    String site = envelope.siteId();
    if (envelope.payload() instanceof IncidentDetected detected) {
      UnaryOperator<PatternStats> fold = s -> s.apply(detected, envelope.occurredAt());
      fleet.add(detected.patternSignature(), fold, book.apply(site, detected.patternSignature(), fold, 0));
    } else if (envelope.payload() instanceof IncidentResolved resolved) {
      UnaryOperator<PatternStats> fold = s -> s.apply(resolved);
      fleet.add(resolved.patternSignature(), fold, book.apply(site, resolved.patternSignature(), fold, 0));
    } else if (envelope.payload() instanceof FlapSuppressionRecorded flap) {
      context.forward(record.withKey(flap.incidentType()).withValue(Emit.fleetFlap(record.value())));
    } else if (envelope.payload() instanceof FlapSuppressionCleared cleared) {
      context.forward(record.withKey(cleared.incidentType()).withValue(Emit.fleetFlap(record.value())));
    }
  }
}
