package dev.ledger.cli.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.cli.projections.ProgressBar;
import dev.ledger.cli.audit.EvidenceVerifier.Finding;
import dev.ledger.cli.audit.EvidenceVerifier.Report;
import dev.ledger.events.merkle.SignedNote.VerifierKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ledger audit verify}: checks the evidence history in PostgreSQL and names the first broken link. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Verify the evidence history without trusting the database: per site, in chain order, every bundle's hash",
        "(recomputed from the stored bundle), its link to the previous one and its chain hash, the appliance's",
        "signature against the key registered for that appliance, its leaf in the site's Merkle log; and every",
        "signed checkpoint: the ledger's signature, its root against the root recomputed from the bundles, and its",
        "consistency with the previous checkpoint. The first broken link of each site is named."
    },
    footer = {"", "Exit codes: 0 the history verifies, 4 a link is broken (named on stderr), 2 bad input (unknown",
        "site, unreadable key), 3 PostgreSQL unavailable, 1 internal error."})
public final class AuditVerifyCommand implements Callable<Integer> {
  @Mixin LedgerConnection connection;

  @Option(names = "--site", paramLabel = "SITE", description = "Verify this site only (default: every site).")
  String site;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    VerifierKey key = connection.verifierKey();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int threads = EvidenceVerifier.defaultThreads();
    // One connection for each site walked at once, and one for the queries around the walks.
    try (HikariDataSource ds = connection.open(threads + 1)) {
      AtomicLong done = new AtomicLong();
      ProgressBar[] bar = new ProgressBar[1];
      long[] lastShown = {0};
      EvidenceVerifier verifier = new EvidenceVerifier(ds, key, threads, n -> {
        long d = done.addAndGet(n);
        long now = System.nanoTime();
        if (bar[0] != null && now - lastShown[0] > 1_000_000_000L) {
          lastShown[0] = now;
          bar[0].show(d);
        }
      });
      List<String> sites = verifier.sites();
      if (site != null) {
        if (!sites.contains(site)) {
          throw new IllegalArgumentException("site " + site + " has no evidence, log or checkpoint to verify");
        }
        sites = List.of(site);
      }
      long total = verifier.countBundles(sites);
      bar[0] = new ProgressBar(err, total);
      long start = System.nanoTime();
      Report report = verifier.verify(sites);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (total > 0) {
        bar[0].show(done.get());
        err.println();
      }
      out.printf("verified %,d bundles and %,d checkpoints of %d site(s) in %.1f s (%,.0f bundles/s) against %s%n",
          report.bundles(), report.checkpoints(), report.sites(), seconds,
          seconds > 0 ? report.bundles() / seconds : 0.0, key.text());
      if (report.pending() > 0) {
        out.printf("%,d checkpointed bundle(s) are still being projected and were not checked%n", report.pending());
      }
      if (report.broken().isEmpty()) {
        out.println("OK: the evidence history verifies");
        return 0;
      }
      for (Finding f : report.broken()) {
        err.println("BROKEN: " + f.describe());
      }
      return AuditCommand.BROKEN;
    }
  }
}
