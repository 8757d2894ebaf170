package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.PatternScope;
import dev.ledger.projector.streams.PatternBook.PatternState;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Fleet-wide pattern stats, after the repartition by pattern signature: adds up the deltas the site tasks hand on
 * ({@link FleetDeltas}), including the number of distinct sites that saw the pattern, and publishes the changed
 * stats on the wall clock like a site's ({@link PatternBook}).
 */
final class FleetPatternStats implements Processor<String, byte[], String, Emit> {
  /** The last published round of this processor's {@link PatternBook}. */
  static final String ROUNDS = "fleet-pattern-rounds";
  static final String STORE = "fleet-pattern-stats";

  private final StreamsSettings settings;
  private ProcessorContext<String, Emit> context;
  private PatternBook book;

  FleetPatternStats(StreamsSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Emit> context) {
    this.context = context;
    this.book = new PatternBook(STORE, context.getStateStore(STORE), context.getStateStore(ROUNDS),
        PatternScope.FLEET, settings.topics());
    context.schedule(settings.rules().recencyCheck(), PunctuationType.WALL_CLOCK_TIME,
        now -> book.expire(now).forEach(context::forward));
    context.schedule(settings.publishInterval(), PunctuationType.WALL_CLOCK_TIME,
        now -> book.publish(now).forEach(context::forward));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    PatternState delta = PatternStateSerde.read(record.value());
    book.apply(Envelope.FLEET_SITE_ID, record.key(), s -> s.plus(delta.stats()), delta.distinctSites());
  }
}
