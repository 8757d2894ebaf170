-- Merkle logs over the sealed evidence chain, one per site, and their signed checkpoints (RFC 9162 trees, C2SP
-- checkpoints; see dev.ledger.events.merkle.EvidenceLog for what a leaf is). Projections, rebuildable by replay
-- (see the conventions in V1): a site's log is a pure function of its sealed-evidence partition, and checkpoints
-- are events on the evidence-checkpoints topic.

-- Every complete subtree of every site's log: node (level, idx) is the root over leaves [idx * 2^level,
-- (idx + 1) * 2^level); level 0 holds the leaf hashes, leaf idx being chain position idx + 1. A node never changes
-- once complete, so any inclusion or consistency proof reads O(log n) rows of the primary key.
CREATE TABLE IF NOT EXISTS evidence_log_nodes (
    site_id text     NOT NULL,
    level   smallint NOT NULL,
    idx     bigint   NOT NULL,
    hash    bytea    NOT NULL,
    CONSTRAINT evidence_log_nodes_pkey PRIMARY KEY (site_id, level, idx),
    CONSTRAINT evidence_log_nodes_level_check CHECK (level BETWEEN 0 AND 62),
    CONSTRAINT evidence_log_nodes_idx_check CHECK (idx >= 0),
    CONSTRAINT evidence_log_nodes_hash_length CHECK (octet_length(hash) = 32)
);
COMMENT ON TABLE evidence_log_nodes IS
    'Projection of the sealed-evidence topic: the complete subtrees of each site''s Merkle log (RFC 9162 '
    'hashing; leaf data = bundle_hash:prev_hash:chain_position). Rebuildable by replay.';

-- The head of each site's log: its size, current root and the chain hash of its last link (the next link must
-- commit to it).
CREATE TABLE IF NOT EXISTS evidence_log_heads (
    site_id         text     NOT NULL,
    tree_size       bigint   NOT NULL,
    root_hash       bytea    NOT NULL,
    last_chain_hash char(64) NOT NULL,
    CONSTRAINT evidence_log_heads_pkey PRIMARY KEY (site_id),
    CONSTRAINT evidence_log_heads_size_check CHECK (tree_size >= 1),
    CONSTRAINT evidence_log_heads_root_length CHECK (octet_length(root_hash) = 32)
);
COMMENT ON TABLE evidence_log_heads IS
    'Projection of the sealed-evidence topic: size and root of each site''s Merkle log. Rebuildable by replay.';

-- What an appliance signature covers, as it was signed: the envelope's schema version and occurred_at exactly as on
-- the wire (ISO-8601 text, all its digits) and the canonical JSON of the bundle (sorted keys, no whitespace: the
-- bytes whose SHA-256 is bundle_hash). evidence_bundles.bundle is jsonb, which re-formats numbers (1.0E7 becomes
-- 10000000), so hashes and signatures are checked against this text, and the jsonb against it by value. With it,
-- audit verify rebuilds the signed bytes of every bundle from PostgreSQL alone.
CREATE TABLE IF NOT EXISTS evidence_envelopes (
    event_id       uuid    NOT NULL,
    site_id        text    NOT NULL,
    appliance_id   text,
    schema_version integer NOT NULL,
    occurred_at    text    NOT NULL,
    payload        text    NOT NULL,
    CONSTRAINT evidence_envelopes_pkey PRIMARY KEY (event_id)
);
COMMENT ON TABLE evidence_envelopes IS
    'Projection of the evidence topic: what the signature of each evidence event covers that evidence_bundles does '
    'not keep exactly (envelope fields, canonical bundle JSON). Rebuildable by replay.';

-- Signed checkpoints, as published on the evidence-checkpoints topic. The first checkpoint of a size wins
-- (a second one of the same size is the same tree head signed again, or a fork that audit verify reports).
CREATE TABLE IF NOT EXISTS evidence_log_checkpoints (
    site_id   text        NOT NULL,
    tree_size bigint      NOT NULL,
    origin    text        NOT NULL,
    root_hash bytea       NOT NULL,
    note      text        NOT NULL,
    event_id  uuid        NOT NULL,
    signed_at timestamptz NOT NULL,
    CONSTRAINT evidence_log_checkpoints_pkey PRIMARY KEY (site_id, tree_size),
    CONSTRAINT evidence_log_checkpoints_event_id_key UNIQUE (event_id),
    CONSTRAINT evidence_log_checkpoints_size_check CHECK (tree_size >= 0),
    CONSTRAINT evidence_log_checkpoints_root_length CHECK (octet_length(root_hash) = 32)
);
COMMENT ON TABLE evidence_log_checkpoints IS
    'Projection of the evidence-checkpoints topic: C2SP signed checkpoints of each site''s evidence log. '
    'signed_at is the occurred_at of the event, not now(). Rebuildable by replay.';
COMMENT ON COLUMN evidence_log_checkpoints.note IS 'The signed note, byte for byte as signed by the ledger key.';

-- The API reads these under ledger_api_reader with the same site wall as evidence_bundles (see V8).
GRANT SELECT ON evidence_log_nodes, evidence_log_heads, evidence_log_checkpoints, evidence_envelopes
    TO ledger_api_reader;
ALTER TABLE evidence_log_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_log_heads ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_log_checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_envelopes ENABLE ROW LEVEL SECURITY;
DO $$
DECLARE
    t text;
    site_scoped constant text :=
        'site_id IN (SELECT s.site_id FROM sites s '
        'WHERE s.partner_id = NULLIF(current_setting(''ledger.partner_id'', true), '''')) '
        'OR site_id = NULLIF(current_setting(''ledger.site_id'', true), '''') '
        'OR current_setting(''ledger.admin'', true) = ''on''';
BEGIN
    FOREACH t IN ARRAY ARRAY['evidence_log_nodes', 'evidence_log_heads', 'evidence_log_checkpoints',
                             'evidence_envelopes'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_policies
                       WHERE schemaname = current_schema() AND tablename = t AND policyname = 'api_tenant') THEN
            EXECUTE format('CREATE POLICY api_tenant ON %I FOR SELECT TO ledger_api_reader USING (%s)',
                t, site_scoped);
        END IF;
    END LOOP;
END
$$;
