package dev.ledger.events.kafka;

import dev.ledger.events.LedgerException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record: why it was rejected and where it came from. Values are UTF-8 text; the
 * record's key and value are the rejected record's, unchanged.
 */
public final class DeadLetter {

  /** The {@link LedgerException#code()} of the rejection, such as {@code invalid_event}. */
  public static final String REASON_CODE = "dlq.reason.code";
  /** A human-readable reason. */
  public static final String REASON_MESSAGE = "dlq.reason.message";
  public static final String SOURCE_TOPIC = "dlq.source.topic";
  public static final String SOURCE_PARTITION = "dlq.source.partition";
  public static final String SOURCE_OFFSET = "dlq.source.offset";

  private DeadLetter() {
  }

  /** The headers for a record of {@code topic}-{@code partition} at {@code offset} rejected with {@code error}. */
  public static Headers headers(LedgerException error, String topic, int partition, long offset) {
    return headers(error.code(), error.getMessage(), topic, partition, offset);
  }

  public static Headers headers(String code, String message, String topic, int partition, long offset) {
    Headers headers = new RecordHeaders();
    add(headers, REASON_CODE, code);
    add(headers, REASON_MESSAGE, message);
    add(headers, SOURCE_TOPIC, topic);
    add(headers, SOURCE_PARTITION, Integer.toString(partition));
    add(headers, SOURCE_OFFSET, Long.toString(offset));
    return headers;
  }

  /** The text of the last header with this name, or null. */
  public static String read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}
