package dev.ledger.projector.streams;

import dev.ledger.events.Envelope;
import dev.ledger.events.EventSerde;
import dev.ledger.events.kafka.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The topology of {@link LedgerTopology#build} in a {@link TopologyTestDriver} with a mock wall clock. */
final class TopologyFixture implements AutoCloseable {
  static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  final StreamsSettings settings;
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> registry;
  final TestInputTopic<String, byte[]> incidents;
  final TestInputTopic<String, byte[]> evidence;
  final TestOutputTopic<String, byte[]> sealed;
  final TestOutputTopic<String, byte[]> patternStats;
  final TestOutputTopic<String, byte[]> eligibility;
  final TestOutputTopic<String, byte[]> flapStats;
  final TestOutputTopic<String, byte[]> deadLetter;

  TopologyFixture() throws IOException {
    Path state = Files.createTempDirectory("ledger-ttd-");
    settings = StreamsSettings.defaults("unused:9092", state).withApplicationId("ttd");
    java.util.Properties props = settings.toProperties();
    // The driver idles on the mock wall clock, which only the test moves: order by piping instead.
    props.put(org.apache.kafka.streams.StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
    driver = new TopologyTestDriver(LedgerTopology.build(settings), props, START);
    StreamsTopics t = settings.topics();
    var s = Serdes.String().serializer();
    var b = Serdes.ByteArray().serializer();
    registry = driver.createInputTopic(t.registry(), s, b);
    incidents = driver.createInputTopic(t.incidents(), s, b);
    evidence = driver.createInputTopic(t.evidence(), s, b);
    var sd = Serdes.String().deserializer();
    var bd = Serdes.ByteArray().deserializer();
    sealed = driver.createOutputTopic(t.sealedEvidence(), sd, bd);
    patternStats = driver.createOutputTopic(t.patternStats(), sd, bd);
    eligibility = driver.createOutputTopic(t.promotionEligibility(), sd, bd);
    flapStats = driver.createOutputTopic(t.flapStats(), sd, bd);
    deadLetter = driver.createOutputTopic(t.deadLetter(), sd, bd);
  }

  Instant now() {
    return START.plus(elapsed);
  }

  private Duration elapsed = Duration.ZERO;

  void advance(Duration d) {
    elapsed = elapsed.plus(d);
    driver.advanceWallClockTime(d);
  }

  /**
   * Moves the wall clock past two publish intervals: the site tasks publish their stats and hand their fleet deltas
   * on, then the fleet task publishes its own.
   */
  void publish() {
    advance(settings.publishInterval());
    advance(settings.publishInterval());
  }

  static Envelope envelope(TestRecord<String, byte[]> record) {
    return EventSerde.deserialize(record.value());
  }

  static List<Envelope> envelopes(TestOutputTopic<String, byte[]> topic) {
    return topic.readRecordsToList().stream().map(TopologyFixture::envelope).toList();
  }

  static String reason(TestRecord<String, byte[]> deadLetter) {
    return DeadLetter.read(deadLetter.headers(), DeadLetter.REASON_CODE);
  }

  @Override
  public void close() {
    driver.close();
  }
}
