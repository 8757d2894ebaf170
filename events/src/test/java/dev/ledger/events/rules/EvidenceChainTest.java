package dev.ledger.events.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.events.EventSerde;
import org.junit.jupiter.api.Test;

class EvidenceChainTest {

  private static final ObjectMapper MAPPER = EventSerde.mapper();
  private static final String A = "a".repeat(64);

  @Test
  void genesisIsSixtyFourZeros() {
    assertThat(EvidenceChain.GENESIS_PREV_HASH).hasSize(64).matches("0+");
  }

  @Test
  void chainHashIsSha256OfBundlePrevAndPosition() {
    // sha256("aaa…a:000…0:1")
    assertThat(EvidenceChain.chainHash(A, EvidenceChain.GENESIS_PREV_HASH, 1))
        .isEqualTo("a5c4555615d20fca6f82ef3440e38e206b3b3fc9b7827a23e40e659850f460d4");
  }

  @Test
  void eachLinkCommitsToTheWholeHistory() throws Exception {
    String b1 = EvidenceChain.bundleHash(MAPPER.readTree("{\"n\":1}"));
    String b2 = EvidenceChain.bundleHash(MAPPER.readTree("{\"n\":2}"));
    String tampered = EvidenceChain.bundleHash(MAPPER.readTree("{\"n\":-1}"));

    String link2 = EvidenceChain.chainHash(b2, EvidenceChain.chainHash(b1, EvidenceChain.GENESIS_PREV_HASH, 1), 2);
    String forged = EvidenceChain.chainHash(b2,
        EvidenceChain.chainHash(tampered, EvidenceChain.GENESIS_PREV_HASH, 1), 2);

    assertThat(link2).isNotEqualTo(forged);
    assertThat(EvidenceChain.chainHash(b2, A, 2)).isNotEqualTo(EvidenceChain.chainHash(b2, A, 3));
  }

  @Test
  void bundleHashIsSha256OfCanonicalJson() throws Exception {
    // sha256({"a":1,"b":[true,null]})
    String expected = "1cc69c7fa23616ca2ec3ee70d24390a6225c8832db8a4c814c7e0e7f942f8668";

    assertThat(EvidenceChain.bundleHash(MAPPER.readTree("{ \"b\": [true, null], \"a\": 1 }")))
        .isEqualTo(expected);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> EvidenceChain.chainHash(A, EvidenceChain.GENESIS_PREV_HASH, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EvidenceChain.chainHash(A.toUpperCase(), EvidenceChain.GENESIS_PREV_HASH, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EvidenceChain.chainHash(A, "00", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
