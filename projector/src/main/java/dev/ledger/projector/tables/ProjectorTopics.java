package dev.ledger.projector.tables;

import dev.ledger.events.kafka.Topics;

/**
 * The topic names the projectors read and the dead-letter topic they write. {@link #defaults()} is the catalogue
 * in {@link Topics}; tests and blue/green rebuilds may point at other names.
 */
public record ProjectorTopics(
    String registry,
    String incidents,
    String evidence,
    String orders,
    String promotions,
    String sealedEvidence,
    String checkpoints,
    String patternStats,
    String deadLetter) {

  /** The catalogue's topic names. */
  public static ProjectorTopics defaults() {
    return new ProjectorTopics(Topics.REGISTRY_EVENTS.name(), Topics.INCIDENT_EVENTS.name(),
        Topics.EVIDENCE_EVENTS.name(), Topics.ORDER_EVENTS.name(), Topics.PROMOTION_EVENTS.name(),
        Topics.SEALED_EVIDENCE.name(), Topics.EVIDENCE_CHECKPOINTS.name(), Topics.PATTERN_STATS.name(),
        Topics.DEAD_LETTER.name());
  }

  /** The catalogue's names, each with {@code prefix} in front (tests use a unique prefix per test). */
  public static ProjectorTopics prefixed(String prefix) {
    ProjectorTopics d = defaults();
    return new ProjectorTopics(prefix + d.registry, prefix + d.incidents, prefix + d.evidence, prefix + d.orders,
        prefix + d.promotions, prefix + d.sealedEvidence, prefix + d.checkpoints, prefix + d.patternStats,
        prefix + d.deadLetter);
  }
}
