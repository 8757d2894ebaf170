-- Drops the staged halves of the links of one site that reached evidence_bundles.
WITH moved AS (
  DELETE FROM evidence_seals s
  USING evidence_bundles b
  WHERE s.site_id = ? AND b.site_id = s.site_id AND b.chain_position = s.chain_position
  RETURNING s.evidence_event_id
)
DELETE FROM evidence_submissions WHERE event_id IN (SELECT evidence_event_id FROM moved)
