package dev.ledger.cli.audit;

import dev.ledger.events.CheckStatus;
import dev.ledger.events.Envelope;
import dev.ledger.events.EvidenceCheck;
import dev.ledger.events.EvidenceSubmitted;
import dev.ledger.events.FlapSuppressionCleared;
import dev.ledger.events.FlapSuppressionRecorded;
import dev.ledger.events.IncidentDetected;
import dev.ledger.events.IncidentEscalated;
import dev.ledger.events.IncidentResolved;
import dev.ledger.events.rules.ComplianceScoring;
import dev.ledger.events.rules.ComplianceScoring.Result;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A site's compliance state as of one instant, folded from its ledger events in partition order: the latest
 * result per (check, host) and the score (by {@link ComplianceScoring}), the open incidents (a passing check
 * resolves the matching ones) and the active flap
 * suppressions. It applies each event as the projector does (the same first-wins and update-if-present rules, the
 * same dedupe on event id), so that folding everything the projector has read gives the projection's rows.
 *
 * <p>"As of" runs on the agent's clock: a result counts by its {@code checked_at}, an incident or suppression
 * event by its {@code occurred_at}; an event after {@code asOf} is left out. Sites are offline for hours, so the
 * question "what was true at T" is about when a check ran, not when its record reached the ledger or was sealed.
 */
final class SiteState {
  /** The projection's CHECK constraint on incident ids (V2): the projector dead-letters any other id. */
  private static final Pattern INCIDENT_ID = Pattern.compile("INC-[0-9]{20}[0-9a-fA-F]{4}");

  /** An incident that is open at the instant of the state. */
  record Incident(String incidentId, String hostname, String incidentType, String severity, String checkType,
      Instant detectedAt) {
  }

  /** A flap suppression that is active at the instant of the state. */
  record Suppression(String hostname, String incidentType, int healCount, Instant suppressedAt) {
  }

  /** What the fold did with the events it was given. */
  record Counts(long applied, long afterAsOf, long otherSites, long duplicates) {
  }

  private final String siteId;
  private final Instant asOf;
  private final ComplianceScoring.Latest results;
  private final Map<String, Incident> incidents = new LinkedHashMap<>();
  private final Map<String, String> incidentStatus = new LinkedHashMap<>();
  private final Map<List<String>, Suppression> suppressions = new LinkedHashMap<>();
  /** The times of the passing checks up to {@code asOf}, by (check type, host). */
  private final Map<List<String>, TreeSet<Instant>> passes = new HashMap<>();
  private final Set<UUID> evidenceIds = new HashSet<>();
  private final Set<UUID> incidentIds = new HashSet<>();
  private long applied;
  private long afterAsOf;
  private long otherSites;
  private long duplicates;

  SiteState(String siteId, Instant asOf) {
    this.siteId = siteId;
    this.asOf = asOf;
    this.results = new ComplianceScoring.Latest(asOf);
  }

  /** Applies one event of the site's partition of the evidence or the incident topic. */
  void apply(Envelope e) {
    if (!siteId.equals(e.siteId())) {
      otherSites++;
      return;
    }
    if (e.payload() instanceof EvidenceSubmitted bundle) {
      if (!evidenceIds.add(e.eventId())) {
        duplicates++;
        return;
      }
      // The result's own checked_at decides (the window of the rule), not the envelope's time.
      for (EvidenceCheck check : bundle.checks()) {
        String host = ComplianceScoring.host(check, e.applianceId());
        results.offer(new Result(check.checkType(), host, bundle.checkedAt(), check.status()));
        if (check.status() == CheckStatus.PASS && !bundle.checkedAt().isAfter(asOf)) {
          passes.computeIfAbsent(List.of(check.checkType(), host), k -> new TreeSet<>()).add(bundle.checkedAt());
        }
      }
      applied++;
      return;
    }
    if (!incidentIds.add(e.eventId())) {
      duplicates++;
      return;
    }
    if (e.occurredAt().isAfter(asOf)) {
      afterAsOf++;
      return;
    }
    applied++;
    if (e.payload() instanceof IncidentDetected d) {
      if (INCIDENT_ID.matcher(d.incidentId()).matches() && !incidentStatus.containsKey(d.incidentId())) {
        incidentStatus.put(d.incidentId(), "open");
        incidents.put(d.incidentId(), new Incident(d.incidentId(), d.hostname(), d.incidentType(), d.severity(),
            d.checkType(), e.occurredAt()));
      }
    } else if (e.payload() instanceof IncidentResolved r) {
      incidentStatus.computeIfPresent(r.incidentId(), (id, was) -> "resolved");
    } else if (e.payload() instanceof IncidentEscalated x) {
      incidentStatus.computeIfPresent(x.incidentId(), (id, was) -> "escalated");
    } else if (e.payload() instanceof FlapSuppressionRecorded f) {
      suppressions.put(List.of(f.hostname(), f.incidentType()),
          new Suppression(f.hostname(), f.incidentType(), f.healCount(), e.occurredAt()));
    } else if (e.payload() instanceof FlapSuppressionCleared f) {
      suppressions.remove(List.of(f.hostname(), f.incidentType()));
    } else {
      applied--; // orders, registry and other events say nothing about compliance state
    }
  }

  String siteId() {
    return siteId;
  }

  Instant asOf() {
    return asOf;
  }

  /** The latest result per (check, host) that counts, by check then host. */
  List<Result> results() {
    return results.results();
  }

  ComplianceScoring.Score score() {
    return results.score();
  }

  /**
   * The open incidents, by incident id: those that their own events leave open and that no passing check of the
   * same (check type, host) at or after their detection resolved (the projector's rule, V12).
   */
  List<Incident> openIncidents() {
    return incidents.values().stream().filter(i -> "open".equals(incidentStatus.get(i.incidentId())))
        .filter(i -> !resolvedByCheck(i))
        .sorted(Comparator.comparing(Incident::incidentId)).toList();
  }

  private boolean resolvedByCheck(Incident i) {
    if (i.checkType() == null) {
      return false;
    }
    TreeSet<Instant> times = passes.get(List.of(i.checkType(), i.hostname()));
    return times != null && times.ceiling(i.detectedAt()) != null;
  }

  /** The active suppressions, by host then incident type. */
  List<Suppression> activeSuppressions() {
    return suppressions.values().stream()
        .sorted(Comparator.comparing(Suppression::hostname).thenComparing(Suppression::incidentType)).toList();
  }

  Counts counts() {
    return new Counts(applied, afterAsOf, otherSites, duplicates);
  }
}
