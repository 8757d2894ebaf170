package dev.ledger.api.commands;

import java.time.Instant;
import java.util.UUID;

/** The standing promotion decision of a pattern, as projected into {@code promotion_decisions} (V9). */
public record PromotionDecisionView(String scope, String siteId, String patternSignature, String decision,
    String action, String decidedBy, String reason, Instant decidedAt, UUID eventId) {
}
