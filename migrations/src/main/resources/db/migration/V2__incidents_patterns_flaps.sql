-- Incidents, healing pattern statistics and flap suppressions: the server-side successors of the agent's
-- SQLite tables of the same names. Projections, rebuildable by replay (see the conventions in V1).

CREATE TABLE IF NOT EXISTS incidents (
    incident_id        text        NOT NULL,
    site_id            text        NOT NULL,
    appliance_id       text,
    hostname           text        NOT NULL,
    incident_type      text        NOT NULL,
    severity           text,
    check_type         text,
    drift_type         text,
    service_name       text,
    error_message      text,
    pattern_signature  text,
    raw_data           jsonb,
    status             text        NOT NULL DEFAULT 'open',
    resolution_level   text,
    resolution_action  text,
    outcome            text,
    resolution_time_ms bigint,
    detected_at        timestamptz NOT NULL,
    resolved_at        timestamptz,
    escalated_at       timestamptz,
    last_event_id      uuid        NOT NULL,
    CONSTRAINT incidents_pkey PRIMARY KEY (incident_id),
    -- INC-<yyyyMMddHHmmss><6-digit micros><4 hex>
    CONSTRAINT incidents_id_format CHECK (incident_id ~ '^INC-[0-9]{20}[0-9a-fA-F]{4}$'),
    CONSTRAINT incidents_status_check CHECK (status IN ('open', 'resolved', 'escalated')),
    CONSTRAINT incidents_resolution_level_check CHECK (resolution_level IN ('L1', 'L2', 'L3')),
    CONSTRAINT incidents_outcome_check
        CHECK (outcome IN ('success', 'failure', 'partial', 'escalated', 'timeout')),
    CONSTRAINT incidents_resolution_time_check CHECK (resolution_time_ms >= 0),
    CONSTRAINT incidents_pattern_signature_format CHECK (pattern_signature ~ '^[0-9a-f]{16}$')
);
-- Dashboard list of a site's incidents, newest first, keyset-paginated on (detected_at, incident_id).
CREATE INDEX IF NOT EXISTS incidents_site_detected_idx
    ON incidents (site_id, detected_at DESC, incident_id DESC);
CREATE INDEX IF NOT EXISTS incidents_site_type_idx ON incidents (site_id, incident_type);
CREATE INDEX IF NOT EXISTS incidents_pattern_idx ON incidents (pattern_signature);
-- Open incidents are few: a partial index keeps them cheap to find. Its key serves both the dashboard
-- ("open incidents of a site") and the projector ("a passing check resolves the matching open incident").
CREATE INDEX IF NOT EXISTS incidents_open_idx
    ON incidents (site_id, check_type, hostname) WHERE status = 'open';
COMMENT ON TABLE incidents IS
    'Projection of the incidents topic (incident detected, resolved and escalated events), plus passing checks '
    'from the evidence topic, which resolve the matching open incident. One row per incident; last_event_id is '
    'the event that last changed it. Rebuildable by replay.';
COMMENT ON COLUMN incidents.pattern_signature IS
    'First 16 hex chars of SHA-256 of the incident''s normalised fields; joins pattern_stats.';
COMMENT ON COLUMN incidents.raw_data IS 'The detector''s payload, as sent by the agent.';

CREATE TABLE IF NOT EXISTS pattern_stats (
    scope                    text        NOT NULL,
    site_id                  text        NOT NULL,
    pattern_signature        text        NOT NULL,
    occurrences              bigint      NOT NULL DEFAULT 0,
    l1_resolutions           bigint      NOT NULL DEFAULT 0,
    l2_resolutions           bigint      NOT NULL DEFAULT 0,
    l3_resolutions           bigint      NOT NULL DEFAULT 0,
    successes                bigint      NOT NULL DEFAULT 0,
    total_resolution_time_ms bigint      NOT NULL DEFAULT 0,
    last_seen                timestamptz NOT NULL,
    last_successful_action   text,
    distinct_sites           integer     NOT NULL DEFAULT 1,
    promotion_eligible       boolean     NOT NULL DEFAULT false,
    promotion_status         text,
    updated_at               timestamptz NOT NULL,
    CONSTRAINT pattern_stats_pkey PRIMARY KEY (scope, site_id, pattern_signature),
    -- Site rows name their site; fleet rows aggregate every site and carry '' (a primary key column cannot
    -- be NULL, and '' is never a valid site_id: see sites_id_not_blank).
    CONSTRAINT pattern_stats_scope_site_check
        CHECK ((scope = 'site' AND site_id <> '') OR (scope = 'fleet' AND site_id = '')),
    CONSTRAINT pattern_stats_signature_format CHECK (pattern_signature ~ '^[0-9a-f]{16}$'),
    CONSTRAINT pattern_stats_counters_check CHECK (
        occurrences >= 0 AND l1_resolutions >= 0 AND l2_resolutions >= 0 AND l3_resolutions >= 0
        AND successes >= 0 AND total_resolution_time_ms >= 0),
    CONSTRAINT pattern_stats_distinct_sites_check
        CHECK (distinct_sites >= 1 AND (scope = 'fleet' OR distinct_sites = 1)),
    CONSTRAINT pattern_stats_promotion_status_check
        CHECK (promotion_status IN ('candidate', 'approved', 'rejected'))
);
-- "Which patterns are ready to promote", per site or fleet-wide, most recently seen first.
CREATE INDEX IF NOT EXISTS pattern_stats_eligible_idx
    ON pattern_stats (scope, site_id, last_seen DESC) WHERE promotion_eligible;
COMMENT ON TABLE pattern_stats IS
    'Projection of the compacted pattern-stats topic that the Kafka Streams app derives from incident events, '
    'with promotion eligibility; promotion_status follows the promotion approved/rejected command events. '
    'Rebuildable by replay.';
COMMENT ON COLUMN pattern_stats.scope IS '''site'': one site''s counters; ''fleet'': summed over every site.';
COMMENT ON COLUMN pattern_stats.site_id IS
    'The site for scope ''site''; the empty string for scope ''fleet''. Not a foreign key because of fleet rows.';
COMMENT ON COLUMN pattern_stats.distinct_sites IS 'Number of sites that saw the pattern: 1 on site rows.';
COMMENT ON COLUMN pattern_stats.promotion_status IS
    'NULL until someone acts; candidate, approved or rejected by a human.';

CREATE TABLE IF NOT EXISTS flap_suppressions (
    site_id        text        NOT NULL,
    hostname       text        NOT NULL,
    incident_type  text        NOT NULL,
    heal_count     integer     NOT NULL DEFAULT 0,
    window_minutes integer     NOT NULL DEFAULT 120,
    first_heal_at  timestamptz,
    last_heal_at   timestamptz,
    suppressed_at  timestamptz,
    cleared_at     timestamptz,
    cleared_by     text,
    clear_reason   text,
    active         boolean     NOT NULL DEFAULT false,
    CONSTRAINT flap_suppressions_pkey PRIMARY KEY (site_id, hostname, incident_type),
    CONSTRAINT flap_suppressions_heal_count_check CHECK (heal_count >= 0),
    CONSTRAINT flap_suppressions_window_check CHECK (window_minutes > 0),
    CONSTRAINT flap_suppressions_active_check CHECK (NOT active OR suppressed_at IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS flap_suppressions_active_idx
    ON flap_suppressions (site_id, suppressed_at DESC) WHERE active;
COMMENT ON TABLE flap_suppressions IS
    'Projection of the incidents topic (heal succeeded, flap suppressed and suppression cleared events). '
    'The third successful heal of the same (site, host, incident type) within window_minutes suppresses '
    'healing until an operator clears it. Rebuildable by replay.';
