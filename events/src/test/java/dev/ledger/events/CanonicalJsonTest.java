package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  @Test
  void sortsKeysAtEveryDepthAndDropsWhitespace() {
    String json = "{ \"b\": 1, \"a\": { \"z\": [ { \"y\": 1, \"x\": 2 } ], \"c\": null }, \"A\": \"é\" }";

    assertThat(CanonicalJson.string(EventSamples.json(json)))
        .isEqualTo("{\"A\":\"é\",\"a\":{\"c\":null,\"z\":[{\"x\":2,\"y\":1}]},\"b\":1}");
  }

  @Test
  void keyOrderOfTheInputDoesNotMatter() {
    byte[] one = CanonicalJson.bytes(EventSamples.json("{\"a\":1,\"b\":{\"c\":2,\"d\":3}}"));
    byte[] other = CanonicalJson.bytes(EventSamples.json("{\"b\":{\"d\":3,\"c\":2},\"a\":1}"));

    assertThat(one).isEqualTo(other);
  }

  @Test
  void recordsAreWrittenAsOnTheWireThenSorted() {
    var check = new EvidenceCheck("backup", CheckStatus.PASS, null, null, null);

    assertThat(CanonicalJson.string(List.of(check))).isEqualTo(
        "[{\"check_type\":\"backup\",\"details\":null,\"hipaa_control\":null,\"hostname\":null,"
            + "\"status\":\"pass\"}]");
  }
}
