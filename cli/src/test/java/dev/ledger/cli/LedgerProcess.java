package dev.ledger.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The built {@code ledger.jar} run as a real child process, its output captured line by line. */
final class LedgerProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "ledger.jar");

  private final Process process;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();
  private final CountDownLatch up = new CountDownLatch(1);

  private LedgerProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out, true);
    pump(process.getErrorStream(), err, false);
  }

  static LedgerProcess start(String... args) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    return new LedgerProcess(new ProcessBuilder(command).start());
  }

  private void pump(java.io.InputStream stream, List<String> sink, boolean parse) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.add(line);
          if (parse) {
            parse(line);
          }
        }
      } catch (IOException e) {
        sink.add("(stream closed: " + e.getMessage() + ")");
      }
    }, "ledger-process-pump");
    t.setDaemon(true);
    t.start();
  }

  private void parse(String line) {
    int colon = line.indexOf(" : ");
    if (line.startsWith("  ") && colon > 0) {
      addresses.put(line.substring(0, colon).trim(), line.substring(colon + 3).trim());
    }
    if (line.startsWith("Press Ctrl-C")) {
      up.countDown();
    }
  }

  /** Waits for the address block; fails with the process output when it does not come. */
  LedgerProcess awaitUp(Duration timeout) throws InterruptedException {
    if (!up.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("ledger dev did not come up within " + timeout + "\nstdout:\n"
          + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err));
    }
    return this;
  }

  String address(String label) {
    String value = addresses.get(label);
    if (value == null) {
      throw new AssertionError("no '" + label + "' line in " + out);
    }
    return value.split("\\s+")[0];
  }

  /** Sends SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hooks) and waits for the exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ledger did not exit within " + timeout + "\nstderr:\n" + String.join("\n", err));
    }
    return process.exitValue();
  }

  String stdout() {
    return String.join("\n", out);
  }

  String stderr() {
    return String.join("\n", err);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
