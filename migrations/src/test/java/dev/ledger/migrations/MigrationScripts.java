package dev.ledger.migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The migration scripts as they ship: read from the classpath, whether a directory or the module's jar. */
final class MigrationScripts {
  static final String DIRECTORY = "db/migration";
  /** {@code V<n>__<words>.sql}: n without leading zeros, words in lower snake case. */
  static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9]+(?:_[a-z0-9]+)*)\\.sql");

  private MigrationScripts() {}

  record Script(String name, String sql) {
    int version() {
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        throw new IllegalStateException("not a migration name: " + name);
      }
      return Integer.parseInt(m.group(1));
    }
  }

  /** Every file in the migration directory, in name order (callers sort by version where it matters). */
  static List<Script> all() {
    URL url = MigrationScripts.class.getClassLoader().getResource(DIRECTORY);
    if (url == null) {
      throw new IllegalStateException(DIRECTORY + " is not on the classpath");
    }
    try {
      return switch (url.getProtocol()) {
        case "file" -> read(Path.of(url.toURI()));
        case "jar" -> {
          String spec = url.getPath(); // file:/.../x.jar!/db/migration
          Path jar = Path.of(new URL(spec.substring(0, spec.indexOf("!/"))).toURI());
          try (FileSystem fs = FileSystems.newFileSystem(jar)) {
            yield read(fs.getPath(DIRECTORY));
          }
        }
        default -> throw new IllegalStateException("cannot list " + url);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The scripts in version order; only for names that match {@link #NAME}. */
  static List<Script> inVersionOrder() {
    return all().stream().sorted(Comparator.comparingInt(Script::version)).toList();
  }

  private static List<Script> read(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .map(p -> {
            try {
              return new Script(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .toList();
    }
  }
}
