package dev.ledger.migrations;

/**
 * What {@link Migrations#apply} did.
 *
 * @param applied how many migrations ran now; 0 when the schema was already current
 * @param schemaVersion the schema version after the run, e.g. {@code "6"}
 */
public record MigrationResult(int applied, String schemaVersion) {}
