-- A passing check resolves the matching open incident (DESIGN.md, evidence chain rule). Projections, rebuildable by
-- replay (see the conventions in V1).
--
-- The incident and the check arrive on different topics through different projectors, so the rule is written so
-- that the rows do not depend on how the two interleave:
--   an incident whose own life-cycle events (incident topic) leave it open is resolved by the earliest passing
--   check of the same (site_id, check_type, hostname) whose checked_at is at or after its detected_at;
--   resolved_at is that check's time and resolved_by_bundle its bundle. The agent's own resolution or escalation,
--   whenever it is projected, replaces a resolution by a check.
-- Both projectors take a per-site advisory lock before they read what the other writes (IncidentChecks), so
-- neither can miss a row the other is committing.
ALTER TABLE incidents ADD COLUMN IF NOT EXISTS resolved_by_bundle text;
COMMENT ON COLUMN incidents.resolved_by_bundle IS
    'The evidence bundle whose passing check resolved this incident; NULL when open or ended by the agent.';
-- A later-projected but earlier passing check moves a resolution by a check back to that check's time.
CREATE INDEX IF NOT EXISTS incidents_check_resolved_idx
    ON incidents (site_id, check_type, hostname) WHERE resolved_by_bundle IS NOT NULL;
