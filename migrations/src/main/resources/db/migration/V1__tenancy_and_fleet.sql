-- Tenancy and fleet: partner -> client org -> site -> appliance.
--
-- Conventions for every projection table in this schema (all tables except the projector's bookkeeping in V6):
--   * It can be dropped and rebuilt by replaying the Kafka topics, and the rebuild must produce the same rows.
--     So no column defaults to now() or to a sequence value: timestamps come from the events themselves
--     (occurred_at, or the Kafka record timestamp where the column says "received").
--   * Every statement is idempotent (IF NOT EXISTS, COMMENT ON): running a file again changes nothing.
--   * Foreign keys only where the referenced row is certain to be projected first: both rows come from the
--     same topic partition (same topic, same key), so Kafka's order holds on every replay. Appliances -> sites
--     (both registry events keyed by site_id) and each evidence link -> the previous link of its site qualify.
--     Rows from different topics or keys (an incident and its appliance, a site and its partner) do not: a
--     consumer interleaves partitions freely, and a foreign key there would reject valid history on replay.
--     That an appliance belongs to a site is checked before projection (the Streams app checks each event's
--     appliance against the registry), not by the schema.

CREATE TABLE IF NOT EXISTS partners (
    partner_id    text        NOT NULL,
    name          text        NOT NULL,
    contact_email text,
    created_at    timestamptz NOT NULL,
    CONSTRAINT partners_pkey PRIMARY KEY (partner_id),
    CONSTRAINT partners_id_not_blank CHECK (partner_id <> '')
);
COMMENT ON TABLE partners IS
    'Projection of the fleet topic (partner registered/updated events). The MSPs: the root of tenancy. Rebuildable by replay.';

CREATE TABLE IF NOT EXISTS client_orgs (
    client_org_id text NOT NULL,
    partner_id    text NOT NULL,
    name          text NOT NULL,
    CONSTRAINT client_orgs_pkey PRIMARY KEY (client_org_id),
    CONSTRAINT client_orgs_id_not_blank CHECK (client_org_id <> ''),
    -- Serves "the client orgs of a partner".
    CONSTRAINT client_orgs_partner_org_key UNIQUE (partner_id, client_org_id)
);
COMMENT ON TABLE client_orgs IS
    'Projection of the fleet topic (client org registered/updated events). A partner''s customer (a clinic, a practice). Rebuildable by replay.';

CREATE TABLE IF NOT EXISTS sites (
    site_id       text        NOT NULL,
    partner_id    text        NOT NULL,
    client_org_id text        NOT NULL,
    name          text        NOT NULL,
    timezone      text        NOT NULL DEFAULT 'UTC',
    created_at    timestamptz NOT NULL,
    CONSTRAINT sites_pkey PRIMARY KEY (site_id),
    CONSTRAINT sites_id_not_blank CHECK (site_id <> '')
);
CREATE INDEX IF NOT EXISTS sites_partner_org_idx ON sites (partner_id, client_org_id);
COMMENT ON TABLE sites IS
    'Projection of the fleet topic (site registered/updated events). A physical location; every fleet event is keyed by site_id. Rebuildable by replay.';
COMMENT ON COLUMN sites.timezone IS 'IANA time zone name, e.g. America/Chicago.';

CREATE TABLE IF NOT EXISTS appliances (
    appliance_id  text        NOT NULL,
    site_id       text        NOT NULL,
    hostname      text        NOT NULL,
    public_key    text        NOT NULL,
    agent_version text,
    ip_address    text,
    last_checkin  timestamptz,
    is_online     boolean     NOT NULL DEFAULT false,
    registered_at timestamptz NOT NULL,
    CONSTRAINT appliances_pkey PRIMARY KEY (appliance_id),
    CONSTRAINT appliances_id_not_blank CHECK (appliance_id <> ''),
    CONSTRAINT appliances_public_key_base64 CHECK (public_key ~ '^[A-Za-z0-9+/]+={0,2}$'),
    CONSTRAINT appliances_site_fkey FOREIGN KEY (site_id) REFERENCES sites (site_id),
    -- Serves "the appliances of a site" and lookups of an appliance within its site.
    CONSTRAINT appliances_site_appliance_key UNIQUE (site_id, appliance_id)
);
-- No separate index on (site_id): the unique key appliances_site_appliance_key leads with site_id and
-- serves "the appliances of a site".
COMMENT ON TABLE appliances IS
    'Projection of the fleet topic (appliance registered and appliance checked-in events). The compliance agents; '
    'public_key verifies the signature of every event the appliance sends. Rebuildable by replay.';
COMMENT ON COLUMN appliances.public_key IS 'Base64 of the appliance''s Ed25519 public key.';
COMMENT ON COLUMN appliances.ip_address IS 'As last reported at check-in; text, not inet, so that it binds as a plain string.';
