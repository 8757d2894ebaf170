-- incidents_site_type_idx (site_id, incident_type) has the key of V11's covering index
-- incidents_site_type_stats_idx, which answers every query the narrower one did (and the aggregate without the
-- heap). Every incident the projector writes paid for both: one b-tree insert of five on the hot path. Dropping an
-- index is as re-runnable as creating one with IF NOT EXISTS, and a rebuild by replay makes the same rows.
DROP INDEX IF EXISTS incidents_site_type_idx;
