-- Evidence bundles (the per-site hash chain) and the compliance check results extracted from them.
-- Projections, rebuildable by replay (see the conventions in V1).

CREATE TABLE IF NOT EXISTS evidence_bundles (
    bundle_id      text        NOT NULL,
    site_id        text        NOT NULL,
    appliance_id   text        NOT NULL,
    checked_at     timestamptz NOT NULL,
    received_at    timestamptz NOT NULL,
    bundle         jsonb       NOT NULL,
    bundle_hash    char(64)    NOT NULL,
    chain_position bigint      NOT NULL,
    prev_hash      char(64)    NOT NULL,
    chain_hash     char(64)    NOT NULL,
    signature      text        NOT NULL,
    hipaa_controls jsonb       NOT NULL DEFAULT '[]',
    event_id       uuid        NOT NULL,
    -- The position of the link this one commits to; NULL for the first link, which commits to 64 zeros.
    prev_position  bigint      GENERATED ALWAYS AS (NULLIF(chain_position - 1, 0)) STORED,
    CONSTRAINT evidence_bundles_pkey PRIMARY KEY (bundle_id),
    CONSTRAINT evidence_bundles_event_id_key UNIQUE (event_id),
    CONSTRAINT evidence_bundles_site_position_key UNIQUE (site_id, chain_position),
    CONSTRAINT evidence_bundles_chain_position_check CHECK (chain_position >= 1),
    CONSTRAINT evidence_bundles_bundle_is_object CHECK (jsonb_typeof(bundle) = 'object'),
    CONSTRAINT evidence_bundles_bundle_hash_format CHECK (bundle_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT evidence_bundles_prev_hash_format CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT evidence_bundles_chain_hash_format CHECK (chain_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT evidence_bundles_genesis_check CHECK (chain_position > 1 OR prev_hash = repeat('0', 64)),
    -- Target of evidence_bundles_chain_fkey.
    CONSTRAINT evidence_bundles_site_position_hash_key UNIQUE (site_id, chain_position, chain_hash),
    -- The chain, enforced: link n exists only if link n-1 of the same site exists and its chain_hash is
    -- this link's prev_hash. No gaps, no forks, no link that commits to a different history.
    CONSTRAINT evidence_bundles_chain_fkey FOREIGN KEY (site_id, prev_position, prev_hash)
        REFERENCES evidence_bundles (site_id, chain_position, chain_hash)
);
-- Auditors ask for a site's evidence over a period ("every day of March").
CREATE INDEX IF NOT EXISTS evidence_bundles_site_checked_idx ON evidence_bundles (site_id, checked_at);
-- Find a bundle by its hash (inclusion proofs, duplicate checks).
CREATE INDEX IF NOT EXISTS evidence_bundles_site_hash_idx ON evidence_bundles (site_id, bundle_hash);
COMMENT ON TABLE evidence_bundles IS
    'Projection of the sealed evidence chain topic that the Kafka Streams app derives from the agents'' '
    'evidence events: one signed bundle per row, hash-chained per site. '
    'chain_hash = sha256_hex(bundle_hash || '':'' || prev_hash || '':'' || chain_position). Rebuildable by replay.';
COMMENT ON COLUMN evidence_bundles.received_at IS 'Kafka record timestamp of the sealed event, not now(), so replays agree.';
COMMENT ON COLUMN evidence_bundles.bundle_hash IS 'Lowercase hex SHA-256 of the bundle''s canonical (sorted-key) JSON.';
COMMENT ON COLUMN evidence_bundles.signature IS 'Base64 Ed25519 signature by the appliance.';

CREATE TABLE IF NOT EXISTS compliance_snapshots (
    site_id       text        NOT NULL,
    check_type    text        NOT NULL,
    hostname      text        NOT NULL,
    checked_at    timestamptz NOT NULL,
    status        text        NOT NULL,
    bundle_id     text,
    hipaa_control text,
    CONSTRAINT compliance_snapshots_pkey PRIMARY KEY (site_id, check_type, hostname, checked_at),
    CONSTRAINT compliance_snapshots_status_check CHECK (status IN ('pass', 'fail', 'warn', 'error'))
);
-- The compliance score takes the latest result per (site, check, host) within 30 days:
--   SELECT DISTINCT ON (check_type, hostname) check_type, hostname, status FROM compliance_snapshots
--   WHERE site_id = ? AND checked_at >= ? ORDER BY check_type, hostname, checked_at DESC
-- This index matches that order and, with status included, answers it with an index-only scan.
CREATE INDEX IF NOT EXISTS compliance_snapshots_latest_idx
    ON compliance_snapshots (site_id, check_type, hostname, checked_at DESC) INCLUDE (status);
COMMENT ON TABLE compliance_snapshots IS
    'Projection of the evidence topic: one row per check result (pass, fail, warn or error) of a host at a '
    'time. Feeds the compliance score. Rebuildable by replay.';
COMMENT ON COLUMN compliance_snapshots.bundle_id IS
    'The evidence bundle that carried the result; no foreign key, the sealed chain may land later.';
