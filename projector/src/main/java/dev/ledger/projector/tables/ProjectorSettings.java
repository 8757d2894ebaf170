package dev.ledger.projector.tables;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Configuration of the PostgreSQL projectors.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param dataSource the PostgreSQL database holding the projection tables (migrated already)
 * @param topics the topic names to read and the dead-letter topic
 * @param groupPrefix consumer group prefix; each projection uses {@code <prefix>-<projection>}
 * @param mode batch (the fast path) or naive (one statement per event)
 * @param maxPollRecords the most events projected in one PostgreSQL transaction
 * @param projections the projections to run, by name ({@link Projections#names()}); empty means all
 * @param dedupeRetention how long applied event ids are kept for duplicate detection
 * @param sideEffects whether the projectors may emit events (dead letters); off while a rebuild replays history
 *     whose rejections were already reported, on otherwise
 */
public record ProjectorSettings(
    String bootstrapServers,
    DataSource dataSource,
    ProjectorTopics topics,
    String groupPrefix,
    WriteMode mode,
    int maxPollRecords,
    List<String> projections,
    Duration dedupeRetention,
    boolean sideEffects) {

  public static final String DEFAULT_GROUP_PREFIX = "ledger-projector";

  public ProjectorSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(groupPrefix, "groupPrefix");
    Objects.requireNonNull(mode, "mode");
    projections = List.copyOf(projections);
    Objects.requireNonNull(dedupeRetention, "dedupeRetention");
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("maxPollRecords must be at least 1, was " + maxPollRecords);
    }
    for (String name : projections) {
      if (!Projections.names().contains(name)) {
        throw new IllegalArgumentException("unknown projection " + name + "; known: " + Projections.names());
      }
    }
  }

  /** Every projection over the catalogue topics, batch mode, 5,000 events a transaction, 7 days of dedupe. */
  public static ProjectorSettings defaults(String bootstrapServers, DataSource dataSource) {
    return new ProjectorSettings(bootstrapServers, dataSource, ProjectorTopics.defaults(), DEFAULT_GROUP_PREFIX,
        WriteMode.BATCH, 5_000, List.of(), Duration.ofDays(7), true);
  }

  public ProjectorSettings withTopics(ProjectorTopics newTopics) {
    return new ProjectorSettings(bootstrapServers, dataSource, newTopics, groupPrefix, mode, maxPollRecords,
        projections, dedupeRetention, sideEffects);
  }

  public ProjectorSettings withGroupPrefix(String prefix) {
    return new ProjectorSettings(bootstrapServers, dataSource, topics, prefix, mode, maxPollRecords,
        projections, dedupeRetention, sideEffects);
  }

  public ProjectorSettings withMode(WriteMode newMode) {
    return new ProjectorSettings(bootstrapServers, dataSource, topics, groupPrefix, newMode, maxPollRecords,
        projections, dedupeRetention, sideEffects);
  }

  public ProjectorSettings withMaxPollRecords(int max) {
    return new ProjectorSettings(bootstrapServers, dataSource, topics, groupPrefix, mode, max, projections,
        dedupeRetention, sideEffects);
  }

  public ProjectorSettings withProjections(List<String> names) {
    return new ProjectorSettings(bootstrapServers, dataSource, topics, groupPrefix, mode, maxPollRecords, names,
        dedupeRetention, sideEffects);
  }

  /** These settings with side effects (dead-letter records) on or off. */
  public ProjectorSettings withSideEffects(boolean on) {
    return new ProjectorSettings(bootstrapServers, dataSource, topics, groupPrefix, mode, maxPollRecords,
        projections, dedupeRetention, on);
  }

  /** These settings writing through another data source (a blue/green copy of the tables). */
  public ProjectorSettings withDataSource(DataSource newDataSource) {
    return new ProjectorSettings(bootstrapServers, newDataSource, topics, groupPrefix, mode, maxPollRecords,
        projections, dedupeRetention, sideEffects);
  }
}
