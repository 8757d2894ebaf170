package dev.ledger.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Creates a data directory and proves it writable before any server writes to it. */
public final class DataDirectory {
  private DataDirectory() {}

  /** Returns the absolute, existing, writable directory, or fails naming it and what is wrong. */
  public static Path prepare(Path dir, String option) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
    } catch (IOException e) {
      throw new InfrastructureException(
          "data directory " + absolute + " cannot be created (" + e.getMessage() + "); choose another with " + option,
          e);
    }
    Path probe = absolute.resolve(".write-probe");
    try {
      Files.writeString(probe, "ok");
      Files.delete(probe);
    } catch (IOException e) {
      throw new InfrastructureException(
          "data directory " + absolute + " is not writable (" + e.getMessage() + "); choose another with " + option,
          e);
    }
    return absolute;
  }
}
