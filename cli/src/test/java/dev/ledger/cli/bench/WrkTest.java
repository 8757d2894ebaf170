package dev.ledger.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WrkTest {
  /** What wrk 4.1.0 printed on this machine for a 1-second run with the scenario's script. */
  private static final String OUTPUT = """
      Running 1s test @ http://127.0.0.1:18765
        1 threads and 2 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency     2.41ms    2.86ms  29.87ms   89.15%
          Req/Sec     1.03k   340.31     1.54k    70.00%
        Latency Distribution
           50%    1.26ms
           75%    2.91ms
           90%    5.50ms
           99%   13.78ms
        1025 requests in 1.01s, 187.18KB read
      Requests/sec:   1016.97
      Transfer/sec:    185.72KB
      ledger-wrk requests=1025 duration_us=1007893 p50_us=1262 p99_us=13777 status_errors=0 socket_errors=0
      """;

  @Test
  void parsesTheLineThatDonePrints() {
    Wrk.Result r = Wrk.parse(OUTPUT);
    assertEquals(new Wrk.Result(1025, 1007893, 1262, 13777, 0, 0), r);
    assertEquals(1016.97, r.perSecond(), 0.01); // wrk's own Requests/sec line
  }

  @Test
  void outputWithoutTheLineIsAClearFailure() {
    String withoutLine = OUTPUT.substring(0, OUTPUT.indexOf("ledger-wrk"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Wrk.parse(withoutLine));
    assertTrue(e.getMessage().contains("no ledger-wrk line"), e.getMessage());
  }

  @Test
  void aLineMissingAFieldIsAClearFailure() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Wrk.parse("ledger-wrk requests=5 duration_us=10 p50_us=1 status_errors=0 socket_errors=0\n"));
    assertTrue(e.getMessage().contains("p99_us"), e.getMessage());
  }

  @Test
  void theStrideVisitsEveryTargetOnceARound() {
    for (int n : new int[] {1, 2, 3, 10, 64, 100, 1000}) {
      int stride = Wrk.stride(n);
      assertEquals(BigInteger.ONE, BigInteger.valueOf(stride).gcd(BigInteger.valueOf(n)), "n=" + n);
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < n; i++) {
        seen.add(i * stride % n);
      }
      assertEquals(n, seen.size(), "n=" + n);
    }
    assertEquals(337, Wrk.stride(1000));
  }

  @Test
  void theScriptListsEveryTargetWithItsKey() {
    String lua = Wrk.script(List.of(new Wrk.Target("/v1/sites/site-0000/incidents", "lk_00_a"),
        new Wrk.Target("/v1/sites/site-0001/incidents", "lk_01_b")), 0);
    assertTrue(lua.contains("{\"/v1/sites/site-0000/incidents\", \"Bearer lk_00_a\"},"), lua);
    assertTrue(lua.contains("{\"/v1/sites/site-0001/incidents\", \"Bearer lk_01_b\"},"), lua);
    assertTrue(lua.contains("local stride = 1\n"), lua);
    assertTrue(lua.contains("(i * stride) % n + 1"), lua);
  }

  @Test
  void aDelayMakesEachConnectionWaitBetweenRequests() {
    List<Wrk.Target> one = List.of(new Wrk.Target("/v1/x", "k"));
    assertFalse(Wrk.script(one, 0).contains("function delay()"));
    assertTrue(Wrk.script(one, 3).contains("function delay()\n  return 3\nend"), Wrk.script(one, 3));
    assertThrows(IllegalArgumentException.class, () -> Wrk.script(one, -1));
  }

  @Test
  void theScriptRefusesTextThatIsNoPlainPath() {
    assertThrows(IllegalArgumentException.class,
        () -> Wrk.script(List.of(new Wrk.Target("/x\"); os.exit(1) --", "k")), 0));
  }
}
