package dev.ledger.cli.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.cli.Stack;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.InvalidKeyMaterialException;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import dev.ledger.events.merkle.SignedNote.VerifierKey;
import dev.ledger.events.crypto.Signing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the audit commands that verify or sign: which PostgreSQL, which ledger key. */
final class LedgerConnection {
  @Option(names = "--jdbc-url", paramLabel = "URL",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/ledger?user=postgres",
      description = "The ledger's PostgreSQL (default: the one 'ledger dev' runs, ${DEFAULT-VALUE}).")
  String jdbcUrl;

  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "The ledger's data directory, where its key lives in ledger-key/ (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--ledger-name", defaultValue = EvidenceLog.DEFAULT_LEDGER_NAME, paramLabel = "NAME",
      description = "The ledger's name: key name of its signatures, start of its log origins "
          + "(default: ${DEFAULT-VALUE}).")
  String ledgerName;

  @Option(names = "--ledger-key", paramLabel = "KEY|FILE",
      description = "The ledger's public key to verify checkpoints with: a verifier key <name>+<hash>+<base64>, "
          + "or a file holding one or a base64 X.509 key (default: <data-dir>/ledger-key/ledger.pub).")
  String ledgerKey;

  HikariDataSource open() {
    return open(4);
  }

  /** A pool of up to {@code connections} connections to the ledger's PostgreSQL. */
  HikariDataSource open(int connections) {
    return pool(jdbcUrl, "ledger-audit", connections);
  }

  /**
   * A pool of up to {@code connections} connections to the PostgreSQL at {@code jdbcUrl}, named {@code name} (also
   * its application name); bad input if the URL is not PostgreSQL's, an infrastructure failure if it cannot be
   * reached within 15 s.
   */
  static HikariDataSource pool(String jdbcUrl, String name, int connections) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, got " + jdbcUrl);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName(name);
    config.setMaximumPoolSize(connections);
    config.setConnectionTimeout(15_000);
    config.setInitializationFailTimeout(15_000);
    config.addDataSourceProperty("ApplicationName", name);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new InfrastructureException("PostgreSQL at " + Stack.redact(jdbcUrl)
          + " cannot be reached; check --jdbc-url and that the server is up", e);
    }
  }

  /** The key that checkpoints must be signed by. */
  VerifierKey verifierKey() {
    String text = ledgerKey;
    try {
      if (text == null) {
        return LedgerKey.verifierIn(dataDir.resolve(LedgerKey.DIRECTORY), ledgerName);
      }
      Path file = Path.of(text);
      if (Files.isRegularFile(file)) {
        text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the ledger's public key (" + e.getMessage()
          + "); pass it with --ledger-key");
    } catch (java.nio.file.InvalidPathException e) {
      // not a path: the key text itself
    }
    if (text.contains("+")) {
      try {
        return VerifierKey.parse(text);
      } catch (InvalidKeyMaterialException e) {
        if (text.startsWith("MC")) {
          return new VerifierKey(ledgerName, Signing.decodePublicKey(text));
        }
        throw e;
      }
    }
    return new VerifierKey(ledgerName, Signing.decodePublicKey(text));
  }

  /** The ledger's signing key, made in the data directory on first use. */
  LedgerKey signingKey() {
    return LedgerKey.loadOrCreate(dataDir.resolve(LedgerKey.DIRECTORY), ledgerName);
  }
}
