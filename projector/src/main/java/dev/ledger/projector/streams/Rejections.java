package dev.ledger.projector.streams;

import dev.ledger.events.EventRejectedException;

/** The rejections of the Streams app beyond those of reading an event; each has a stable dead-letter code. */
final class Rejections {
  private Rejections() {
  }

  /** The evidence names an appliance registered at another site. */
  static final class ApplianceOfAnotherSite extends EventRejectedException {
    ApplianceOfAnotherSite(String applianceId, String claimedSite, String registeredSite) {
      super("appliance " + applianceId + " is registered at site " + registeredSite + ", not at " + claimedSite);
    }

    @Override
    public String code() {
      return "appliance_site_mismatch";
    }
  }

  /** No registration of the appliance arrived within the pending timeout. */
  static final class UnknownAppliance extends EventRejectedException {
    UnknownAppliance(String applianceId, String waited) {
      super("appliance " + applianceId + " was not registered at this site within " + waited);
    }

    @Override
    public String code() {
      return "unknown_appliance";
    }
  }

  /** The bundle's check time is further ahead of this app's clock than the rule allows. */
  static final class CheckTimeInFuture extends EventRejectedException {
    CheckTimeInFuture(String message) {
      super(message);
    }

    @Override
    public String code() {
      return "check_time_in_future";
    }
  }
}
