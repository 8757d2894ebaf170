-- Moves the sealed links of one site that have their submission to evidence_bundles, in chain order, from the
-- site's head up to (not including) the first link still waiting for its submission. The site is bound 4 times.
INSERT INTO evidence_bundles (bundle_id, site_id, appliance_id, checked_at, received_at, bundle, bundle_hash,
  chain_position, prev_hash, chain_hash, signature, hipaa_controls, event_id)
SELECT e.bundle_id, s.site_id, e.appliance_id, e.checked_at, s.received_at, e.bundle, s.bundle_hash,
  s.chain_position, s.prev_hash, s.chain_hash, e.signature, e.hipaa_controls, e.event_id
FROM evidence_seals s
JOIN evidence_submissions e ON e.event_id = s.evidence_event_id
WHERE s.site_id = ?
  AND s.chain_position > (SELECT coalesce(max(b.chain_position), 0) FROM evidence_bundles b WHERE b.site_id = ?)
  AND s.chain_position < coalesce((
    SELECT min(w.chain_position) FROM evidence_seals w
    WHERE w.site_id = ?
      AND NOT EXISTS (SELECT 1 FROM evidence_submissions x WHERE x.event_id = w.evidence_event_id)), 9223372036854775807)
  AND s.site_id = ?
ORDER BY s.chain_position
