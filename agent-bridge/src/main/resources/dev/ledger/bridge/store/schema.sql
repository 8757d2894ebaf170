-- The agent bridge's SQLite schema. The seed's original schema was not available to us; these tables follow the
-- seed's names and columns as DESIGN.md describes them. Every statement is idempotent (IF NOT EXISTS), so a
-- database made by an earlier run opens as it is. Times are ISO-8601 UTC text.

CREATE TABLE IF NOT EXISTS incidents (
  id                  TEXT PRIMARY KEY,            -- INC-<yyyyMMddHHmmss><micros><4 hex>
  site_id             TEXT NOT NULL,
  appliance_id        TEXT NOT NULL,
  host_id             TEXT NOT NULL,
  incident_type       TEXT NOT NULL,
  severity            TEXT NOT NULL,
  check_type          TEXT,
  drift_type          TEXT,
  service_name        TEXT,
  error               TEXT,
  raw_data            TEXT,
  pattern_signature   TEXT NOT NULL,
  status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'escalated')),
  suppressed          INTEGER NOT NULL DEFAULT 0,  -- 1 when detected while a flap suppression was active
  resolution_level    TEXT CHECK (resolution_level IN ('L1', 'L2', 'L3')),
  resolution_action   TEXT,
  resolution_outcome  TEXT CHECK (resolution_outcome IN ('success', 'failure', 'partial', 'escalated', 'timeout')),
  resolution_time_ms  INTEGER CHECK (resolution_time_ms >= 0),
  event_id            TEXT NOT NULL,               -- the incident.detected envelope's event_id (a UUIDv7)
  created_at          TEXT NOT NULL,
  resolved_at         TEXT
);
-- The flap rule counts successful heals of one (site, host, type) by resolution time: only successful resolutions are
-- in this index, so recording a new incident (the hot path) does not touch it. An index of every incident on these
-- columns (what earlier bridges made) took a random insert per incident and cost about half the ingest rate.
DROP INDEX IF EXISTS idx_incidents_site_host_type;
CREATE INDEX IF NOT EXISTS idx_incidents_successful_heals ON incidents (site_id, host_id, incident_type, resolved_at)
  WHERE resolution_outcome = 'success';
CREATE INDEX IF NOT EXISTS idx_incidents_pattern ON incidents (pattern_signature);
CREATE INDEX IF NOT EXISTS idx_incidents_status_created ON incidents (status, created_at);

CREATE TABLE IF NOT EXISTS pattern_stats (
  pattern_signature         TEXT PRIMARY KEY,
  occurrences               INTEGER NOT NULL DEFAULT 0,
  l1_resolutions            INTEGER NOT NULL DEFAULT 0,
  l2_resolutions            INTEGER NOT NULL DEFAULT 0,
  l3_resolutions            INTEGER NOT NULL DEFAULT 0,
  successes                 INTEGER NOT NULL DEFAULT 0,
  total_resolution_time_ms  INTEGER NOT NULL DEFAULT 0,
  last_seen                 TEXT,
  last_successful_action    TEXT,
  promotion_eligible        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS flap_suppressions (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id        TEXT NOT NULL,
  host_id        TEXT NOT NULL,
  incident_type  TEXT NOT NULL,
  heal_count     INTEGER NOT NULL,
  window_minutes INTEGER NOT NULL,
  first_heal_at  TEXT NOT NULL,
  last_heal_at   TEXT NOT NULL,
  suppressed_at  TEXT NOT NULL,
  cleared_at     TEXT,
  cleared_by     TEXT,
  clear_reason   TEXT
);
-- At most one active suppression per (site, host, incident type); cleared ones stay as history.
CREATE UNIQUE INDEX IF NOT EXISTS ux_flap_suppressions_active
  ON flap_suppressions (site_id, host_id, incident_type) WHERE cleared_at IS NULL;

CREATE TABLE IF NOT EXISTS queued_evidence (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id       TEXT NOT NULL UNIQUE,
  bundle_id      TEXT NOT NULL,
  site_id        TEXT NOT NULL,
  checked_at     TEXT NOT NULL,                   -- the original check time, kept on every retry
  topic          TEXT NOT NULL,
  msg_key        TEXT NOT NULL,
  envelope       BLOB NOT NULL,                   -- the signed envelope, byte for byte as it is sent
  status         TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'dead')),
  retry_count    INTEGER NOT NULL DEFAULT 0,
  next_retry_at  TEXT NOT NULL,
  last_error     TEXT,
  created_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_queued_evidence_status_next ON queued_evidence (status, next_retry_at);

-- Events waiting to be relayed, in the debezium outbox vocabulary; a row is deleted once the broker acked it.
CREATE TABLE IF NOT EXISTS outbox (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT, -- relay order
  id             TEXT NOT NULL,                     -- the envelope's event_id (UUIDv7; unique by construction,
                                                    -- no index: the hot path writes one b-tree less)
  aggregatetype  TEXT NOT NULL,                     -- the Kafka topic
  aggregateid    TEXT NOT NULL,                     -- the Kafka key (site_id)
  type           TEXT NOT NULL,                     -- the event type
  payload        BLOB NOT NULL,                     -- the envelope; the relay signs it on the way out (Ed25519
                                                    -- is deterministic: every re-send has the same bytes)
  created_at     TEXT NOT NULL
);

-- Small facts about this bridge, such as the public key it last registered.
CREATE TABLE IF NOT EXISTS bridge_meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
