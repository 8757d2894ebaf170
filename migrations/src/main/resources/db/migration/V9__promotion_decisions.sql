-- Commands from the API that need schema: promotion decisions, and the order expiry sweep's index.
-- Projections, rebuildable by replay (see the conventions in V1).

-- A human approved or rejected promoting a healing pattern to an L1 rule: promotion.decided events on the
-- promotion-events topic (key: the site, or 'fleet' for fleet-wide decisions), published by the API. One row per
-- (scope, site_id, pattern_signature), the same key as pattern_stats; the latest decision stands (one key, one
-- partition, so "latest" is Kafka's order and the same on every replay).
--
-- For the pattern / promotion-candidate reads:
--   pattern_stats p LEFT JOIN promotion_decisions d
--     ON d.scope = p.scope AND d.site_id = p.site_id AND d.pattern_signature = p.pattern_signature
-- and read d.decision ('approved' | 'rejected'; NULL: nobody decided yet), d.action (the promoted action),
-- d.decided_by, d.decided_at, d.reason. A candidate still awaiting a human is
--   p.promotion_eligible AND d.decision IS NULL.
-- pattern_stats.promotion_status (V2) is not written: the decision and the statistics come from different
-- topics through different projectors, and one column fed by both would depend on how they interleave.
CREATE TABLE IF NOT EXISTS promotion_decisions (
    scope             text        NOT NULL,
    site_id           text        NOT NULL,
    pattern_signature text        NOT NULL,
    decision          text        NOT NULL,
    action            text,
    decided_by        text        NOT NULL,
    reason            text,
    decided_at        timestamptz NOT NULL,
    event_id          uuid        NOT NULL,
    CONSTRAINT promotion_decisions_pkey PRIMARY KEY (scope, site_id, pattern_signature),
    -- As in pattern_stats: fleet rows carry the site_id ''.
    CONSTRAINT promotion_decisions_scope_site_check
        CHECK ((scope = 'site' AND site_id <> '') OR (scope = 'fleet' AND site_id = '')),
    CONSTRAINT promotion_decisions_signature_format CHECK (pattern_signature ~ '^[0-9a-f]{16}$'),
    CONSTRAINT promotion_decisions_decision_check CHECK (decision IN ('approved', 'rejected')),
    CONSTRAINT promotion_decisions_action_check CHECK (decision <> 'approved' OR action IS NOT NULL)
);
COMMENT ON TABLE promotion_decisions IS
    'Projection of the promotion-events topic (promotion.decided, published by the API when a human approves or '
    'rejects a promotion candidate): the latest decision per (scope, site_id, pattern_signature), joinable to '
    'pattern_stats on that key. Rebuildable by replay.';
COMMENT ON COLUMN promotion_decisions.action IS 'The successful action promoted to an L1 rule; set when approved.';
COMMENT ON COLUMN promotion_decisions.decided_by IS 'The authenticated caller who decided.';
COMMENT ON COLUMN promotion_decisions.decided_at IS 'occurred_at of the decision event.';
COMMENT ON COLUMN promotion_decisions.event_id IS 'The promotion.decided event that made this row.';

-- The expiry sweep (api, dev.ledger.api.commands.ExpirySweep) asks for the pending orders whose expires_at has
-- passed, oldest first, over all appliances; orders_pending_idx leads with appliance_id and cannot serve that.
CREATE INDEX IF NOT EXISTS orders_pending_expiry_idx ON orders (expires_at) WHERE status = 'pending';

-- The API reads decisions as ledger_api_reader under row-level security, like pattern_stats (V8): a partner sees
-- its sites' rows, an appliance its site's, the platform admin every row (fleet rows included).
GRANT SELECT ON promotion_decisions TO ledger_api_reader;
ALTER TABLE promotion_decisions ENABLE ROW LEVEL SECURITY;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = current_schema()
                   AND tablename = 'promotion_decisions' AND policyname = 'api_tenant') THEN
        CREATE POLICY api_tenant ON promotion_decisions FOR SELECT TO ledger_api_reader USING (
            site_id IN (SELECT s.site_id FROM sites s
                        WHERE s.partner_id = NULLIF(current_setting('ledger.partner_id', true), ''))
            OR site_id = NULLIF(current_setting('ledger.site_id', true), '')
            OR current_setting('ledger.admin', true) = 'on');
    END IF;
END
$$;
