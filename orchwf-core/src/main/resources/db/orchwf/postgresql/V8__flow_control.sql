-- orchwf schema, version 8, for PostgreSQL.
--
-- Flow control. An instance keeps its concurrency key and priority, and the limits its
-- workflow had when it started (0 for none), so that any claim of it, on any node, checks
-- them in its own transaction. Adding columns with constant defaults rewrites no row.
ALTER TABLE orchwf_instances
    ADD COLUMN concurrency_key VARCHAR(255),
    ADD COLUMN priority        INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN max_concurrency INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN max_per_key     INTEGER NOT NULL DEFAULT 0;

-- the instances queued for a slot, in the order they get one
CREATE INDEX orchwf_instances_queued_idx ON orchwf_instances (workflow_id, priority DESC, created_at, id)
    WHERE status = 'PENDING' AND lease_owner IS NULL AND (max_concurrency > 0 OR max_per_key > 0);

-- the instances holding a slot, counted by key
CREATE INDEX orchwf_instances_slots_idx ON orchwf_instances (workflow_id, concurrency_key)
    WHERE (max_concurrency > 0 OR max_per_key > 0) AND status IN ('PENDING', 'RUNNING', 'WAITING', 'COMPENSATING');

-- one row per limited workflow, locked by the claims of its queued instances so that two
-- nodes never count the same free slot
CREATE TABLE orchwf_workflow_locks (
    workflow_id VARCHAR(255) NOT NULL,
    CONSTRAINT orchwf_workflow_locks_pk PRIMARY KEY (workflow_id)
);
