-- The net life-cycle change of each incident of a batch: the last status and level, the resolution fields if a
-- resolution happened (rset), the escalation time if an escalation happened, and the last event id. The agent's
-- own resolution or escalation replaces a resolution by a passing check (V12).
UPDATE incidents i SET
  status = t.status,
  resolution_level = t.level,
  resolution_action = CASE WHEN t.rset::boolean THEN t.action ELSE i.resolution_action END,
  outcome = CASE WHEN t.rset::boolean THEN t.outcome ELSE i.outcome END,
  resolution_time_ms = CASE WHEN t.rset::boolean THEN t.ms::bigint ELSE i.resolution_time_ms END,
  resolved_at = CASE WHEN t.rset::boolean THEN t.resolved::timestamptz
    WHEN i.resolved_by_bundle IS NULL THEN i.resolved_at END,
  resolved_by_bundle = NULL,
  escalated_at = COALESCE(t.escalated::timestamptz, i.escalated_at),
  last_event_id = t.eid::uuid
FROM unnest(CAST(:id AS text[]), CAST(:status AS text[]), CAST(:level AS text[]), CAST(:rset AS text[]),
  CAST(:action AS text[]), CAST(:outcome AS text[]), CAST(:ms AS text[]), CAST(:resolved AS text[]),
  CAST(:escalated AS text[]), CAST(:eid AS text[]))
  AS t(id, status, level, rset, action, outcome, ms, resolved, escalated, eid)
WHERE i.incident_id = t.id
