package dev.ledger.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BenchResultTest {
  @Test
  void percentilesAreNearestRank() {
    long[] hundred = LongStream.rangeClosed(1, 100).toArray();
    assertThat(BenchResult.percentile(hundred, 50)).isEqualTo(50);
    assertThat(BenchResult.percentile(hundred, 99)).isEqualTo(99);
    assertThat(BenchResult.percentile(hundred, 100)).isEqualTo(100);
    assertThat(BenchResult.percentile(new long[] {7}, 99)).isEqualTo(7);
    assertThat(BenchResult.percentile(new long[0], 50)).isZero();
  }
}
