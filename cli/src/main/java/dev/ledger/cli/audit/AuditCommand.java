package dev.ledger.cli.audit;

import picocli.CommandLine.Command;

/**
 * {@code ledger audit}: what an auditor runs against the ledger. {@code verify} checks the evidence history
 * (chain, signatures, Merkle log, checkpoints) and names the first broken link; {@code checkpoint} signs the
 * current tree heads on demand.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify, replay and export the evidence history (see 'ledger audit <command> --help').",
    subcommands = {AuditVerifyCommand.class, AuditCheckpointCommand.class, ReplayCommand.class,
        ExportCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 internal error, 2 bad input or usage, 3 infrastructure unavailable,",
        "4 the evidence history does not verify (the first broken link is named), 5 export: no published",
        "checkpoint covers the period yet."})
public final class AuditCommand {
  /** Exit code of a verification that found a broken link. */
  public static final int BROKEN = 4;
  /** Exit code of an export whose bundles no published checkpoint covers yet. */
  public static final int NOT_CHECKPOINTED = 5;
}
