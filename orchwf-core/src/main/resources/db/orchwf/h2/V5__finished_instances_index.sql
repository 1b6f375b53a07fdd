-- orchwf schema, version 5, for H2.
--
-- Retention deletes the finished instances of one status that ended before a time, the
-- oldest first, a batch at a time, as on PostgreSQL (see its version 6); this index finds
-- them without reading the instances that are kept.
CREATE INDEX orchwf_instances_finished_idx ON orchwf_instances (status, completed_at);
