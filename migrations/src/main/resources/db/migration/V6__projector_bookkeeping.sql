-- The projectors' own bookkeeping. NOT rebuildable: these rows say how far each projection has read, and are
-- written in the same transaction as the projection rows. Drop a projection's tables and you must delete its
-- rows here too (and only then replay); never drop these tables on their own.
-- Unlike the projections, these columns may default to now(): nothing is replayed into them.

CREATE TABLE IF NOT EXISTS projector_offsets (
    projection  text        NOT NULL,
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projector_offsets_pkey PRIMARY KEY (projection, topic, partition),
    CONSTRAINT projector_offsets_partition_check CHECK (partition >= 0),
    CONSTRAINT projector_offsets_next_offset_check CHECK (next_offset >= 0)
);
COMMENT ON TABLE projector_offsets IS
    'Projector bookkeeping, NOT rebuildable: the next Kafka offset to read per (projection, topic, partition), '
    'committed in the same transaction as the projection rows it accounts for. Projectors seek here on start.';

CREATE TABLE IF NOT EXISTS projector_applied_events (
    projection text        NOT NULL,
    event_id   uuid        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT projector_applied_events_pkey PRIMARY KEY (projection, event_id)
);
-- For pruning old entries once no producer can resend them.
CREATE INDEX IF NOT EXISTS projector_applied_events_applied_idx ON projector_applied_events (projection, applied_at);
COMMENT ON TABLE projector_applied_events IS
    'Projector bookkeeping, NOT rebuildable: event_ids each projection has applied, written in the same '
    'transaction as the rows, so an event delivered twice (agent resend, producer retry) is applied once.';
