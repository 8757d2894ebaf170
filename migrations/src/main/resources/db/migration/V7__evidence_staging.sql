-- Staging for the evidence_bundles projection. A row of evidence_bundles joins two topics: the agent's
-- evidence event (the bundle, its signature and appliance) and the sealed chain link the Streams app derives
-- from it. A consumer reads the two topics in any interleaving, so each half waits here until its partner has
-- arrived; links then move to evidence_bundles in chain order. Projections, rebuildable by replay (see V1).

CREATE TABLE IF NOT EXISTS evidence_submissions (
    event_id       uuid        NOT NULL,
    site_id        text        NOT NULL,
    appliance_id   text        NOT NULL,
    bundle_id      text        NOT NULL,
    checked_at     timestamptz NOT NULL,
    bundle         jsonb       NOT NULL,
    signature      text        NOT NULL,
    hipaa_controls jsonb       NOT NULL DEFAULT '[]',
    CONSTRAINT evidence_submissions_pkey PRIMARY KEY (event_id)
);
COMMENT ON TABLE evidence_submissions IS
    'Evidence events whose sealed link has not been projected yet. Rows leave when their link reaches evidence_bundles.';

CREATE TABLE IF NOT EXISTS evidence_seals (
    site_id           text        NOT NULL,
    chain_position    bigint      NOT NULL,
    evidence_event_id uuid        NOT NULL,
    bundle_hash       char(64)    NOT NULL,
    prev_hash         char(64)    NOT NULL,
    chain_hash        char(64)    NOT NULL,
    received_at       timestamptz NOT NULL,
    CONSTRAINT evidence_seals_pkey PRIMARY KEY (site_id, chain_position),
    CONSTRAINT evidence_seals_position_check CHECK (chain_position >= 1)
);
CREATE INDEX IF NOT EXISTS evidence_seals_event_idx ON evidence_seals (evidence_event_id);
COMMENT ON TABLE evidence_seals IS
    'Sealed chain links whose evidence event has not been projected yet; received_at is the Kafka record '
    'timestamp of the sealed event. Rows leave when the link reaches evidence_bundles.';
