-- orchwf schema, version 7, for H2: flow control, as PostgreSQL's version 8.
ALTER TABLE orchwf_instances ADD COLUMN concurrency_key VARCHAR(255);
ALTER TABLE orchwf_instances ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE orchwf_instances ADD COLUMN max_concurrency INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE orchwf_instances ADD COLUMN max_per_key INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX orchwf_instances_slots_idx ON orchwf_instances (workflow_id, concurrency_key, status);
CREATE TABLE orchwf_workflow_locks (
    workflow_id VARCHAR(255) NOT NULL,
    CONSTRAINT orchwf_workflow_locks_pk PRIMARY KEY (workflow_id)
);
