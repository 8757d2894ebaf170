-- New incidents of a batch, already in their final state (IncidentBatch looked up that none exists yet), bound as
-- parallel text arrays named after the columns. No ON CONFLICT: should another writer have inserted one since the
-- lookup, the unique violation rejects the batch, which is then retried event by event.
INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type,
  drift_type, service_name, error_message, pattern_signature, raw_data, detected_at, status, resolution_level,
  resolution_action, outcome, resolution_time_ms, resolved_at, escalated_at, last_event_id)
SELECT t.incident_id, t.site_id, t.appliance_id, t.hostname, t.incident_type, t.severity, t.check_type,
  t.drift_type, t.service_name, t.error_message, t.pattern_signature, t.raw_data::jsonb, t.detected_at::timestamptz,
  t.status, t.resolution_level, t.resolution_action, t.outcome, t.resolution_time_ms::bigint,
  t.resolved_at::timestamptz, t.escalated_at::timestamptz, t.last_event_id::uuid
FROM unnest(CAST(:incident_id AS text[]), CAST(:site_id AS text[]), CAST(:appliance_id AS text[]),
  CAST(:hostname AS text[]), CAST(:incident_type AS text[]), CAST(:severity AS text[]), CAST(:check_type AS text[]),
  CAST(:drift_type AS text[]), CAST(:service_name AS text[]), CAST(:error_message AS text[]),
  CAST(:pattern_signature AS text[]), CAST(:raw_data AS text[]), CAST(:detected_at AS text[]),
  CAST(:status AS text[]), CAST(:resolution_level AS text[]), CAST(:resolution_action AS text[]),
  CAST(:outcome AS text[]), CAST(:resolution_time_ms AS text[]), CAST(:resolved_at AS text[]),
  CAST(:escalated_at AS text[]), CAST(:last_event_id AS text[]))
  AS t(incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type, drift_type, service_name,
    error_message, pattern_signature, raw_data, detected_at, status, resolution_level, resolution_action, outcome,
    resolution_time_ms, resolved_at, escalated_at, last_event_id)
