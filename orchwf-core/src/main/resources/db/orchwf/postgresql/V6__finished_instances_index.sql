-- orchwf schema, version 6, for PostgreSQL.
--
-- Retention deletes the finished instances of one status that ended before a time, the
-- oldest first, a batch at a time; this index finds them without reading the instances
-- that are kept. It holds finished instances only: an unfinished instance's writes (every
-- transition rewrites its row) never touch it, and a finished one enters it once.
--
-- Building it blocks writes to orchwf_instances while it reads the table, a few seconds
-- per million instances. On a larger table, build it beforehand without blocking, out of
-- any transaction, and this script then finds it:
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS orchwf_instances_finished_idx
--       ON orchwf_instances (status, completed_at) WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED');
-- (CONCURRENTLY here would wait for Flyway's own open transaction, for ever.)
CREATE INDEX IF NOT EXISTS orchwf_instances_finished_idx ON orchwf_instances (status, completed_at)
    WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED');
