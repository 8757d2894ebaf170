package dev.ledger.events.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether an appliance is online, by the time since its last check-in: online under 15 minutes, stale under an
 * hour, offline after (and offline if it never checked in). Computed when read, from the projected
 * {@code last_checkin}, because the answer depends on the reader's clock and a projection must not.
 */
public enum ApplianceLiveness {
  ONLINE, STALE, OFFLINE;

  public static final Duration ONLINE_WITHIN = Duration.ofMinutes(15);
  public static final Duration STALE_WITHIN = Duration.ofHours(1);

  /** The liveness of an appliance last seen at {@code lastCheckin} (null: never) as of {@code now}. */
  public static ApplianceLiveness of(Instant lastCheckin, Instant now) {
    if (lastCheckin == null) {
      return OFFLINE;
    }
    Duration since = Duration.between(lastCheckin, now);
    if (since.compareTo(ONLINE_WITHIN) < 0) {
      return ONLINE;
    }
    return since.compareTo(STALE_WITHIN) < 0 ? STALE : OFFLINE;
  }
}
