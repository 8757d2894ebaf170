-- Orders: commands for an appliance (run a runbook, collect evidence, ...), issued from the api as events.
-- Projection, rebuildable by replay (see the conventions in V1).
-- Life cycle: pending -> acknowledged -> completed | failed; pending past expires_at -> expired.

CREATE TABLE IF NOT EXISTS orders (
    order_id        text        NOT NULL,
    site_id         text        NOT NULL,
    appliance_id    text        NOT NULL,
    order_type      text        NOT NULL,
    runbook_id      text,
    parameters      jsonb       NOT NULL DEFAULT '{}',
    status          text        NOT NULL DEFAULT 'pending',
    issued_by       text        NOT NULL,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    acknowledged_at timestamptz,
    completed_at    timestamptz,
    result          jsonb,
    error_message   text,
    CONSTRAINT orders_pkey PRIMARY KEY (order_id),
    CONSTRAINT orders_status_check
        CHECK (status IN ('pending', 'acknowledged', 'completed', 'failed', 'expired')),
    CONSTRAINT orders_parameters_is_object CHECK (jsonb_typeof(parameters) = 'object'),
    CONSTRAINT orders_expiry_check CHECK (expires_at > issued_at),
    CONSTRAINT orders_acknowledged_at_check CHECK (status <> 'acknowledged' OR acknowledged_at IS NOT NULL),
    CONSTRAINT orders_completed_at_check CHECK (status NOT IN ('completed', 'failed') OR completed_at IS NOT NULL)
);
-- An appliance polls for its pending orders that have not expired; the expiry sweep finds the expired ones.
-- Only pending orders are in it, so it stays small however long the history grows.
CREATE INDEX IF NOT EXISTS orders_pending_idx ON orders (appliance_id, expires_at) WHERE status = 'pending';
-- Dashboard list of a site's orders, newest first, keyset-paginated on (issued_at, order_id).
CREATE INDEX IF NOT EXISTS orders_site_issued_idx ON orders (site_id, issued_at DESC, order_id DESC);
COMMENT ON TABLE orders IS
    'Projection of the orders topic (order issued by the api; acknowledged, completed or failed by the '
    'appliance; expired by the expiry sweep). Rebuildable by replay.';
COMMENT ON COLUMN orders.issued_by IS 'The authenticated user or service that issued the order.';
