package dev.ledger.projector.streams;

import dev.ledger.events.kafka.TopicSpec;
import dev.ledger.events.kafka.Topics;
import java.util.List;
import java.util.Objects;

/**
 * The names of the topics the Streams app reads and writes. {@link #catalogue()} is the production set; tests use
 * {@link #prefixed} so that each test has topics of its own on a shared broker.
 */
public record StreamsTopics(
    String registry,
    String incidents,
    String evidence,
    String sealedEvidence,
    String patternStats,
    String promotionEligibility,
    String flapStats,
    String deadLetter) {

  public StreamsTopics {
    List.of(registry, incidents, evidence, sealedEvidence, patternStats, promotionEligibility, flapStats,
        deadLetter).forEach(name -> Objects.requireNonNull(name, "every topic needs a name"));
  }

  /** The catalogue's topics. */
  public static StreamsTopics catalogue() {
    return new StreamsTopics(Topics.REGISTRY_EVENTS.name(), Topics.INCIDENT_EVENTS.name(),
        Topics.EVIDENCE_EVENTS.name(), Topics.SEALED_EVIDENCE.name(), Topics.PATTERN_STATS.name(),
        Topics.PROMOTION_ELIGIBILITY.name(), Topics.FLAP_SUPPRESSION_STATS.name(),
        Topics.DEAD_LETTER.name());
  }

  /** The catalogue's topics, each name prefixed (for tests sharing one broker). */
  public static StreamsTopics prefixed(String prefix) {
    StreamsTopics c = catalogue();
    return new StreamsTopics(prefix + c.registry, prefix + c.incidents, prefix + c.evidence,
        prefix + c.sealedEvidence, prefix + c.patternStats, prefix + c.promotionEligibility,
        prefix + c.flapStats, prefix + c.deadLetter);
  }

  /** What to create: the catalogue's specs under these names. */
  public List<TopicSpec> specs() {
    return List.of(
        rename(Topics.REGISTRY_EVENTS, registry), rename(Topics.INCIDENT_EVENTS, incidents),
        rename(Topics.EVIDENCE_EVENTS, evidence), rename(Topics.SEALED_EVIDENCE, sealedEvidence),
        rename(Topics.PATTERN_STATS, patternStats), rename(Topics.PROMOTION_ELIGIBILITY, promotionEligibility),
        rename(Topics.FLAP_SUPPRESSION_STATS, flapStats),
        rename(Topics.DEAD_LETTER, deadLetter));
  }

  private static TopicSpec rename(TopicSpec spec, String name) {
    return new TopicSpec(name, spec.partitions(), spec.configs(), spec.key(), spec.value());
  }
}
