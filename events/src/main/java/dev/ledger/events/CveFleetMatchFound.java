package dev.ledger.events;

/** An appliance runs a product affected by a CVE. {@code installedVersion} is optional. */
public record CveFleetMatchFound(String cveId, String applianceId, String product, String installedVersion)
    implements CveEvent {

  public CveFleetMatchFound {
    Require.matches(cveId, CveRecorded.CVE_ID, "cve_id");
    Require.text(applianceId, "appliance_id");
    Require.text(product, "product");
  }
}
