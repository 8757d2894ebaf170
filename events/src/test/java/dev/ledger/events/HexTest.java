package dev.ledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HexTest {
  @ParameterizedTest
  @ValueSource(strings = {"0123456789abcdef", "ffffffffffffffff", "0000000000000000"})
  void sixteenLowercaseHexDigits(String text) {
    assertThat(Hex.isLowercase(text, 16)).isTrue();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "0123456789ABCDEF", "0123456789abcde", "0123456789abcdef0", "0123456789abcdeg",
    "0123456789abcde ", "/123456789abcdef", ":123456789abcdef", "`123456789abcdef"})
  void anythingElseIsNot(String text) {
    assertThat(Hex.isLowercase(text, 16)).isFalse();
  }
}
