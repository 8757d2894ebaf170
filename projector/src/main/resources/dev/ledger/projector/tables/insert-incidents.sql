-- New incidents of a batch, one row per incident id (the first detection), bound as parallel text arrays.
INSERT INTO incidents (incident_id, site_id, appliance_id, hostname, incident_type, severity, check_type,
  drift_type, service_name, error_message, pattern_signature, raw_data, status, detected_at, last_event_id)
SELECT t.id, t.site, t.appliance, t.host, t.itype, t.severity, t.ctype, t.dtype, t.service, t.error, t.signature,
  t.raw::jsonb, 'open', t.at::timestamptz, t.eid::uuid
FROM unnest(CAST(:id AS text[]), CAST(:site AS text[]), CAST(:appliance AS text[]), CAST(:host AS text[]),
  CAST(:itype AS text[]), CAST(:severity AS text[]), CAST(:ctype AS text[]), CAST(:dtype AS text[]),
  CAST(:service AS text[]), CAST(:error AS text[]), CAST(:signature AS text[]), CAST(:raw AS text[]),
  CAST(:at AS text[]), CAST(:eid AS text[]))
  AS t(id, site, appliance, host, itype, severity, ctype, dtype, service, error, signature, raw, at, eid)
ON CONFLICT (incident_id) DO NOTHING
