package dev.ledger.cli;

import picocli.CommandLine;

/** {@code ledger --version}: the build's version and the runtime it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = LedgerCli.class.getPackage().getImplementationVersion();
    return new String[] {
        "ledger " + (version == null ? "(development build)" : version),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
