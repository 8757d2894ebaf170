package dev.ledger.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built {@code ledger.jar} run as a real child process. Its stdout and stderr go to files, which outlive
 * the process, so nothing it printed before exiting is lost to a pipe closing.
 */
final class LedgerProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "ledger.jar");

  private final Process process;
  private final Path out;
  private final Path err;

  private LedgerProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static LedgerProcess start(String... args) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the package phase first");
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path dir = Files.createTempDirectory("ledger-process-");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    return new LedgerProcess(process, out, err);
  }

  /** Waits for the address block that ends with "Press Ctrl-C"; fails with the output when it does not come. */
  LedgerProcess awaitUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (stdout().contains("Press Ctrl-C")) {
        return this;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("ledger dev did not come up within " + timeout + " (alive: " + process.isAlive()
        + ")\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
  }

  /** The first word after "label :" in the address block. */
  String address(String label) {
    Map<String, String> addresses = new HashMap<>();
    for (String line : stdout().split("\n")) {
      int colon = line.indexOf(" : ");
      if (line.startsWith("  ") && colon > 0) {
        addresses.put(line.substring(0, colon).trim(), line.substring(colon + 3).trim().split("\\s+")[0]);
      }
    }
    String value = addresses.get(label);
    if (value == null) {
      throw new AssertionError("no '" + label + "' line in:\n" + stdout());
    }
    return value;
  }

  /** Sends SIGTERM (Ctrl-C's SIGINT runs the same shutdown hooks) and waits for the exit code. */
  int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    return awaitExit(timeout);
  }

  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ledger did not exit within " + timeout + "\nstderr:\n" + stderr());
    }
    return process.exitValue();
  }

  String stdout() {
    return read(out);
  }

  String stderr() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
