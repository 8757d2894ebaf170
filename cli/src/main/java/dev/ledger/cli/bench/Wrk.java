package dev.ledger.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wrk HTTP load generator, run as a child process: a Lua script rotates the requests over a list of (path,
 * API key) targets and its {@code done()} prints one parseable line of totals and latency percentiles.
 */
public final class Wrk {
  public static final String MISSING = "wrk not found: apt-get install wrk";
  private static final Pattern LINE = Pattern.compile("^ledger-wrk (.*)$", Pattern.MULTILINE);
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");

  /** What one run measured; latencies in microseconds. */
  public record Result(long requests, long durationMicros, long p50Micros, long p99Micros, long statusErrors,
      long socketErrors) {
    public Duration duration() {
      return Duration.ofNanos(durationMicros * 1_000);
    }

    public double perSecond() {
      return requests / (durationMicros / 1e6);
    }
  }

  /** One target of the rotation: a path with its query, and the API key that may read it. */
  public record Target(String path, String apiKey) {
  }

  private Wrk() {}

  /** The wrk executable on the PATH, or null. */
  public static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "wrk");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The Lua script: each thread starts at its own place in the rotation and steps through the targets in a
   * fixed shuffled order (a stride coprime with their number), so that consecutive requests hit different sites.
   * With {@code delayMillis} above 0 each connection waits that long after every response before it sends the next
   * request (wrk's {@code delay()}): a load below saturation, at which the latency is the service time and not the
   * queue in front of two busy cores. 0: no wait, as fast as the server answers.
   */
  static String script(List<Target> targets, int delayMillis) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("delay must not be negative, was " + delayMillis);
    }
    StringBuilder lua = new StringBuilder("local targets = {\n");
    for (Target t : targets) {
      lua.append("  {\"").append(luaSafe(t.path())).append("\", \"Bearer ").append(luaSafe(t.apiKey()))
          .append("\"},\n");
    }
    lua.append("""
        }
        local n = #targets
        local stride = %d
        local threads = 0
        local i = 0
        function setup(thread)
          thread:set("first", threads * 7919)
          threads = threads + 1
        end
        function init(args)
          i = first
        end
        function request()
          i = i + 1
          local t = targets[(i * stride) %% n + 1]
          return wrk.format("GET", t[1], { ["Authorization"] = t[2] })
        end
        %s
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            "ledger-wrk requests=%%d duration_us=%%d p50_us=%%d p99_us=%%d status_errors=%%d socket_errors=%%d\\n",
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
            e.connect + e.read + e.write + e.timeout))
        end
        """.formatted(stride(targets.size()),
        delayMillis == 0 ? "" : "function delay()\n  return " + delayMillis + "\nend"));
    return lua.toString();
  }

  /** The smallest stride above n/3 that is coprime with n (1 for n below 3). */
  public static int stride(int n) {
    for (int s = Math.max(1, n / 3 + 1); s < Math.max(2, n); s++) {
      if (gcd(s, n) == 1) {
        return s;
      }
    }
    return 1;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static String luaSafe(String s) {
    if (!s.matches("[A-Za-z0-9_./?=&:-]*")) {
      throw new IllegalArgumentException("not a plain path or key: " + s);
    }
    return s;
  }

  /** Parses the line that the script's {@code done()} prints, among wrk's own output. */
  static Result parse(String output) {
    Matcher m = LINE.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("wrk printed no ledger-wrk line; its output was:\n" + output);
    }
    Map<String, Long> fields = new HashMap<>();
    Matcher f = FIELD.matcher(m.group(1));
    while (f.find()) {
      fields.put(f.group(1), Long.parseLong(f.group(2)));
    }
    for (String name : List.of("requests", "duration_us", "p50_us", "p99_us", "status_errors", "socket_errors")) {
      if (!fields.containsKey(name)) {
        throw new IllegalStateException("wrk's ledger-wrk line lacks " + name + ": " + m.group());
      }
    }
    return new Result(fields.get("requests"), fields.get("duration_us"), fields.get("p50_us"), fields.get("p99_us"),
        fields.get("status_errors"), fields.get("socket_errors"));
  }

  /**
   * Runs wrk against {@code baseUrl} with the rotation (each connection pausing {@code delayMillis} after each
   * response, see {@link #script}), and returns what it measured and its whole output.
   */
  public static Run run(Path wrk, Path workDir, String baseUrl, List<Target> targets, int delayMillis,
      int connections, int threads, Duration duration) throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-", ".lua");
    try {
      Files.writeString(script, script(targets, delayMillis));
      return run(wrk, script, baseUrl, connections, threads, duration);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static Run run(Path wrk, Path script, String baseUrl, int connections, int threads, Duration duration)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(wrk.toString(), "-t", Integer.toString(threads), "-c",
        Integer.toString(connections), "-d", duration.toSeconds() + "s", "--timeout", "10s", "--latency", "-s",
        script.toString(), baseUrl));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("wrk did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("wrk exited with " + p.exitValue() + ":\n" + text);
    }
    return new Run(parse(text), text);
  }

  public record Run(Result result, String output) {
    /** The result, unless wrk saw no request or any non-2xx answer or socket error (then the whole output). */
    public Result requireClean(String what) {
      if (result.statusErrors() > 0 || result.socketErrors() > 0 || result.requests() == 0) {
        throw new IllegalStateException("wrk saw " + result.statusErrors() + " non-2xx answers and "
            + result.socketErrors() + " socket errors in " + result.requests() + " requests on " + what + ":\n"
            + output);
      }
      return result;
    }
  }
}
