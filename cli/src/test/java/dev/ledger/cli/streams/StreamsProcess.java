package dev.ledger.cli.streams;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ledger streams} instance in a child JVM on this test's class path. Its output goes to a file that
 * outlives it. {@link #kill} is SIGKILL; a new process on the same {@code instance} reuses its state directory.
 */
final class StreamsProcess implements AutoCloseable {
  private final Process process;
  private final Path out;

  private StreamsProcess(Process process, Path out) {
    this.process = process;
    this.out = out;
  }

  static StreamsProcess start(String bootstrap, Path dataDir, String instance, String run, Duration sessionTimeout)
      throws IOException {
    Path out = Files.createTempFile("ledger-streams-" + instance + "-", ".txt");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.ledger.cli.LedgerCli", "streams",
        "--kafka-bootstrap", bootstrap, "--data-dir", dataDir.toString(), "--instance", instance,
        "--application-id", run + "streams", "--topic-prefix", run,
        "--session-timeout-ms", Long.toString(sessionTimeout.toMillis()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    return new StreamsProcess(process, out);
  }

  /** Waits for "streams running" (the first rebalance is done); fails with the output if it does not come. */
  StreamsProcess awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (output().contains("streams running")) {
        return this;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("ledger streams did not start (alive: " + process.isAlive() + "):\n" + tail());
  }

  /** SIGKILL: no shutdown hook, no clean close, whatever transaction is open is left behind. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("a SIGKILLed process did not exit");
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The end of the output, for failure messages. */
  String tail() {
    String text = output();
    return out + ":\n" + text.substring(Math.max(0, text.length() - 3000));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
