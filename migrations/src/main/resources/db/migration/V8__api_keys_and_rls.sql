-- API keys of the HTTP API, and PostgreSQL row-level security as the API's second tenant wall.
--
-- API keys are credentials, not ledger data, so they are NOT a projection and NOT rebuildable by replay:
--   * A verifier of a secret (even a SHA-256 of 32 random bytes) does not belong in a topic that is retained
--     forever and readable by every consumer of it: a credential must be revocable and erasable, a ledger record
--     never is.
--   * Auditors replay the ledger to check compliance; who held which API key proves nothing about a site.
--   * A key is usable the moment 'ledger partners create' prints it, not after a projector has caught up.
-- So the keys live in their own schema, ledger_auth, written only by the 'ledger partners' commands. A blue/green
-- rebuild (ledger projections rebuild) swaps the public schema and leaves ledger_auth alone; back ledger_auth up
-- with the database. Partners themselves stay ledger data: 'ledger partners create' publishes partner.registered.

CREATE SCHEMA IF NOT EXISTS ledger_auth;
COMMENT ON SCHEMA ledger_auth IS
    'Credentials of the HTTP API. NOT projections, NOT rebuildable by replay: back it up with the database.';

CREATE TABLE IF NOT EXISTS ledger_auth.api_keys (
    key_id       text        NOT NULL,
    secret_hash  bytea       NOT NULL,
    role         text        NOT NULL,
    partner_id   text,
    appliance_id text,
    site_id      text,
    label        text,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_pkey PRIMARY KEY (key_id),
    CONSTRAINT api_keys_key_id_format CHECK (key_id ~ '^[0-9a-f]{16}$'),
    CONSTRAINT api_keys_secret_hash_length CHECK (octet_length(secret_hash) = 32),
    CONSTRAINT api_keys_role_check CHECK (role IN ('partner', 'appliance', 'admin')),
    -- Each role carries exactly the ids that scope it.
    CONSTRAINT api_keys_scope_check CHECK (
        (role = 'partner' AND partner_id IS NOT NULL AND appliance_id IS NULL AND site_id IS NULL)
        OR (role = 'appliance' AND appliance_id IS NOT NULL AND site_id IS NOT NULL)
        OR (role = 'admin' AND partner_id IS NULL AND appliance_id IS NULL AND site_id IS NULL))
);
-- Key rotation revokes a partner's (or an appliance's) live keys.
CREATE INDEX IF NOT EXISTS api_keys_partner_live_idx
    ON ledger_auth.api_keys (partner_id) WHERE revoked_at IS NULL;
CREATE INDEX IF NOT EXISTS api_keys_appliance_live_idx
    ON ledger_auth.api_keys (appliance_id) WHERE revoked_at IS NULL;
COMMENT ON TABLE ledger_auth.api_keys IS
    'API keys, NOT rebuildable by replay (credentials, not ledger data: see the header of V8). A key is '
    '"lk_<key_id>_<secret>"; only SHA-256(secret) is stored and compared in constant time. Written by the '
    'ledger partners commands, read by the API before it takes the caller''s role.';

-- Row-level security: every API read runs in a transaction that does
--   SET LOCAL ROLE ledger_api_reader;
--   SELECT set_config('ledger.partner_id', <partner>, true)   -- a partner key
--       or set_config('ledger.site_id', <site>, true)         -- an appliance key
--       or set_config('ledger.admin', 'on', true);            -- a platform admin key
-- and the policies below show only the rows of that scope. Nothing set (or '' after a reset) shows no row at
-- all: the wall fails closed even if a query forgets its own WHERE clause. Projectors and migrations connect as
-- the tables' owner, which row-level security does not restrict (no FORCE ROW LEVEL SECURITY here), and the
-- development and test servers connect as a superuser, which bypasses it: hence the separate NOLOGIN role that
-- the API switches to. A table added by a later migration is invisible to the API until that migration grants
-- SELECT to ledger_api_reader (and adds a policy if the table is tenant data).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_api_reader') THEN
        CREATE ROLE ledger_api_reader NOLOGIN NOSUPERUSER NOINHERIT NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database of the same server created it at the same moment
END
$$;

DO $$
BEGIN
    -- The connecting user must be allowed to SET ROLE to the reader (a superuser always is).
    IF NOT pg_has_role(current_user, 'ledger_api_reader', 'MEMBER') THEN
        EXECUTE format('GRANT ledger_api_reader TO %I', current_user);
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO ledger_api_reader', current_schema());
END
$$;

GRANT SELECT ON partners, client_orgs, sites, appliances, incidents, pattern_stats, flap_suppressions,
    evidence_bundles, compliance_snapshots, orders, cve_entries, cve_fleet_matches, cve_watch_config,
    compliance_frameworks, framework_controls, control_check_mappings, framework_sync_log
    TO ledger_api_reader;

-- Tenant tables. Catalogues that belong to no tenant (cve_entries and the framework tables) stay readable by all.
ALTER TABLE partners ENABLE ROW LEVEL SECURITY;
ALTER TABLE client_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE sites ENABLE ROW LEVEL SECURITY;
ALTER TABLE appliances ENABLE ROW LEVEL SECURITY;
ALTER TABLE incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE pattern_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE flap_suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence_bundles ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE cve_fleet_matches ENABLE ROW LEVEL SECURITY;
ALTER TABLE cve_watch_config ENABLE ROW LEVEL SECURITY;

-- CREATE POLICY has no IF NOT EXISTS: create each one only where it is missing, so the script runs again safely.
DO $$
DECLARE
    t text;
    partner_scoped constant text :=
        'partner_id = NULLIF(current_setting(''ledger.partner_id'', true), '''') '
        'OR current_setting(''ledger.admin'', true) = ''on''';
    -- A site is visible to its partner, to the appliances of that site, and to the platform admin. The partner's
    -- sites are one hashed subplan per query, not a lookup per row. Fleet-wide pattern rows carry site_id '' and
    -- match no partner and no appliance (the NULLIFs), only the admin.
    site_scoped constant text :=
        'site_id IN (SELECT s.site_id FROM sites s '
        'WHERE s.partner_id = NULLIF(current_setting(''ledger.partner_id'', true), '''')) '
        'OR site_id = NULLIF(current_setting(''ledger.site_id'', true), '''') '
        'OR current_setting(''ledger.admin'', true) = ''on''';
BEGIN
    FOREACH t IN ARRAY ARRAY['partners', 'client_orgs', 'cve_watch_config'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_policies
                       WHERE schemaname = current_schema() AND tablename = t AND policyname = 'api_tenant') THEN
            EXECUTE format('CREATE POLICY api_tenant ON %I FOR SELECT TO ledger_api_reader USING (%s)',
                t, partner_scoped);
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_policies
                   WHERE schemaname = current_schema() AND tablename = 'sites' AND policyname = 'api_tenant') THEN
        EXECUTE 'CREATE POLICY api_tenant ON sites FOR SELECT TO ledger_api_reader USING ('
            || 'partner_id = NULLIF(current_setting(''ledger.partner_id'', true), '''') '
            || 'OR site_id = NULLIF(current_setting(''ledger.site_id'', true), '''') '
            || 'OR current_setting(''ledger.admin'', true) = ''on'')';
    END IF;
    FOREACH t IN ARRAY ARRAY['appliances', 'incidents', 'pattern_stats', 'flap_suppressions', 'evidence_bundles',
                             'compliance_snapshots', 'orders', 'cve_fleet_matches'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_policies
                       WHERE schemaname = current_schema() AND tablename = t AND policyname = 'api_tenant') THEN
            EXECUTE format('CREATE POLICY api_tenant ON %I FOR SELECT TO ledger_api_reader USING (%s)',
                t, site_scoped);
        END IF;
    END LOOP;
END
$$;
