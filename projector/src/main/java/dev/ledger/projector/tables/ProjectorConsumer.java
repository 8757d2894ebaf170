package dev.ledger.projector.tables;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The consumer of one projection, configured for offsets that live in PostgreSQL. */
final class ProjectorConsumer {
  private ProjectorConsumer() {
  }

  static KafkaConsumer<String, byte[]> create(ProjectorSettings settings, String projection) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupPrefix() + "-" + projection);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupPrefix() + "-" + projection);
    // The position is stored in PostgreSQL with the rows; Kafka's committed offsets are only for tooling.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The derived topics are written by exactly-once Streams transactions: never project an aborted write.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Every assigned partition is sought explicitly; if a position is ever missing, start from the beginning.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // One poll is one PostgreSQL transaction: this bounds the events per transaction.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    // Larger fetches keep a full batch arriving in one poll when the projector is catching up.
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
