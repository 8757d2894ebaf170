package dev.ledger.cli.projections;

import picocli.CommandLine.Command;

/** {@code ledger projections}: operations on the PostgreSQL projections. */
@Command(
    name = "projections",
    mixinStandardHelpOptions = true,
    description = "Operate the PostgreSQL projections (see 'ledger projections rebuild --help').",
    subcommands = {RebuildCommand.class, GenerateCommand.class})
public final class ProjectionsCommand {
}
