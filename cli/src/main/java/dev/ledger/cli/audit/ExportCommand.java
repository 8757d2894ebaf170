package dev.ledger.cli.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.cli.Stack;
import dev.ledger.cli.audit.EvidenceVerifier.Finding;
import dev.ledger.embedded.InfrastructureException;
import dev.ledger.events.crypto.Hashing;
import dev.ledger.events.merkle.EvidenceLog;
import dev.ledger.events.merkle.LedgerKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger audit export}: the deterministic, offline-verifiable audit packet of a site and a period. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Export a site's sealed evidence checked in [--from, --to) as a zip an auditor verifies offline with only",
        "openssl and sha256sum: the bundles in chain order, the chain, Merkle inclusion proofs against a signed",
        "checkpoint, the appliances' and the ledger's public keys, a summary per HIPAA control, OSCAL assessment",
        "results, a manifest of SHA-256 sums signed by the ledger key, a README and verify.sh.",
        "",
        "The data comes from the PostgreSQL projection, which is not trusted: before anything is signed, the",
        "site's whole history is verified as 'ledger audit verify --site' does (chain hashes, appliance signatures",
        "against the registered keys, Merkle leaves, every checkpoint's signature, root and consistency), and the",
        "export refuses, naming the first broken link, if it does not hold. The bundles are proven against the",
        "first checkpoint the ledger published that covers the last of them; the export never signs a checkpoint",
        "of its own (run 'ledger audit checkpoint' first if none covers the period yet). verify.sh recomputes",
        "every hash and checks every signature offline. The same site, period and ledger state give a",
        "byte-identical file."
    },
    footer = {"", "Exit codes: 0 ok, 2 bad input (unknown site, bad period, no evidence, no ledger key), "
        + "3 PostgreSQL unavailable, 4 the history does not verify (the first broken link is named), 5 no "
        + "published checkpoint covers the period yet."})
public final class ExportCommand implements Callable<Integer> {

  @Option(names = "--site", required = true, paramLabel = "SITE_ID", description = "The site to export.")
  String siteId;

  @Option(names = "--from", required = true, paramLabel = "TIME",
      description = "First check time included: ISO-8601 (2026-03-01T00:00:00Z) or a date (its start, UTC).")
  String fromText;

  @Option(names = "--to", required = true, paramLabel = "TIME",
      description = "Check time the period ends before: ISO-8601, or a date (the whole day is included, UTC).")
  String toText;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the zip.")
  Path out;

  @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/ledger?user=postgres",
      paramLabel = "URL", description = "The ledger's PostgreSQL (default: ${DEFAULT-VALUE}, what 'ledger dev' runs).")
  String jdbcUrl;

  @Option(names = "--data-dir", defaultValue = "./data", paramLabel = "DIR",
      description = "The ledger's data directory, whose ledger-key/ signs the packet (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--ledger-key-dir", paramLabel = "DIR",
      description = "Where the ledger key is, if not under --data-dir.")
  Path ledgerKeyDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Instant from = parse(fromText, "--from", false);
    Instant to = parse(toText, "--to", true);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
    }
    LedgerKey key = ledgerKey(ledgerKeyDir != null ? ledgerKeyDir : dataDir.resolve(LedgerKey.DIRECTORY));
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    PacketSource.Data data;
    AuditPacket.Built packet;
    try (HikariDataSource ds = LedgerConnection.pool(jdbcUrl, "ledger-export", 2)) {
      Jdbi jdbi = Jdbi.create(ds);
      if (!PacketSource.siteExists(jdbi, siteId)) {
        throw new IllegalArgumentException("unknown site " + siteId);
      }
      Finding broken = verify(ds, key);
      if (broken != null) {
        stderr.println("ledger export: refused, nothing was signed: the evidence history of " + siteId
            + " does not verify: BROKEN: " + broken.describe());
        return AuditCommand.BROKEN;
      }
      // A second snapshot: rows edited since the verification cannot reach the packet either, because every
      // bundle must be proven against the published checkpoint, whose root AuditPacket checks against them.
      data = PacketSource.read(jdbi, siteId, from, to);
      if (data.bundles().isEmpty()) {
        throw new IllegalArgumentException("no sealed evidence of site " + siteId + " was checked in [" + from
            + ", " + to + ")");
      }
      packet = AuditPacket.build(siteId, from, to, data, key);
    } catch (PacketSource.Mismatch e) {
      stderr.println("ledger export: refused: " + siteId + ": " + e.getMessage());
      return AuditCommand.BROKEN;
    } catch (PacketSource.NotCheckpointed e) {
      stderr.println("ledger export: " + e.getMessage());
      return AuditCommand.NOT_CHECKPOINTED;
    }
    write(out, packet.zip());
    stdout.printf("wrote %s: %d bundles (chain positions %d..%d), published checkpoint of size %d, SHA-256 %s%n",
        out, packet.bundles(), data.bundles().get(0).position(),
        data.bundles().get(data.bundles().size() - 1).position(), packet.checkpointSize(),
        Hashing.sha256Hex(packet.zip()));
    String fingerprint = Hashing.sha256Hex(key.publicKey().getEncoded());
    stdout.printf("ledger key fingerprint (SHA-256 of its DER): %s%n", fingerprint);
    stdout.printf("verify it offline: unzip it, then sh verify.sh --fingerprint %s (the fingerprint as the auditor "
        + "got it from you, not from the packet), or sh verify.sh LEDGER_PUBLIC_KEY.pem%n", fingerprint);
    return 0;
  }

  /** The site's whole history verified as {@code audit verify --site} does: its first broken link, or null. */
  private Finding verify(DataSource ds, LedgerKey key) {
    try {
      EvidenceVerifier.Report report = new EvidenceVerifier(ds, key.verifier(), n -> { }).verify(List.of(siteId));
      return report.broken().isEmpty() ? null : report.broken().get(0);
    } catch (SQLException e) {
      throw new InfrastructureException("PostgreSQL at " + Stack.redact(jdbcUrl) + " failed during verification: "
          + e.getMessage(), e);
    }
  }

  /** An ISO-8601 instant or offset date-time, or a date: its start, or for the end of a period the next day's. */
  static Instant parse(String text, String option, boolean end) {
    String t = text.strip();
    try {
      if (t.length() == 10) {
        LocalDate day = LocalDate.parse(t);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return java.time.OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(option + ": cannot read '" + text + "' as a time; use ISO-8601 with a "
          + "zone (2026-03-31T23:59:59Z) or a date (2026-03-31)", e);
    }
  }

  private static LedgerKey ledgerKey(Path dir) {
    if (!Files.isRegularFile(dir.resolve("ledger.key"))) {
      throw new IllegalArgumentException("no ledger key in " + dir + " (ledger.key): the packet is signed with the"
          + " key that signs the ledger's checkpoints; point --data-dir or --ledger-key-dir at it");
    }
    return LedgerKey.loadOrCreate(dir, EvidenceLog.DEFAULT_LEDGER_NAME);
  }

  /** Writes the file in full under a temporary name, forces it to disk and moves it into place. */
  private static void write(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
