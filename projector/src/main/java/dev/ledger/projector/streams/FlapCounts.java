package dev.ledger.projector.streams;

/**
 * Fleet-wide flap suppressions of one incident type: how many were recorded and cleared, how many are active
 * now, and at how many distinct sites one was recorded. The value of the flap-stats topic, keyed by incident type;
 * an incident type that flaps across many sites is an override worth a look.
 */
public record FlapCounts(String incidentType, long recorded, long cleared, long active, int distinctSites) {

  static FlapCounts none(String incidentType) {
    return new FlapCounts(incidentType, 0, 0, 0, 0);
  }

  FlapCounts recordedAt(boolean newSite) {
    return new FlapCounts(incidentType, recorded + 1, cleared, active + 1, distinctSites + (newSite ? 1 : 0));
  }

  FlapCounts clearedOne() {
    return new FlapCounts(incidentType, recorded, cleared + 1, Math.max(0, active - 1), distinctSites);
  }
}
