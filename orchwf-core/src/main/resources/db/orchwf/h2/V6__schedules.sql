-- orchwf schema, version 6, for H2: the schedules, as PostgreSQL's version 7.
CREATE TABLE orchwf_schedules (
    name             VARCHAR(255)             NOT NULL,
    workflow_id      VARCHAR(255)             NOT NULL,
    cron             VARCHAR(255),
    every_ms         BIGINT,
    zone             VARCHAR(64)              NOT NULL,
    input            JSON                     NOT NULL,
    overlap          VARCHAR(16)              NOT NULL,
    next_fire_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_fire_at     TIMESTAMP WITH TIME ZONE,
    last_instance_id VARCHAR(64),
    CONSTRAINT orchwf_schedules_pk PRIMARY KEY (name),
    CONSTRAINT orchwf_schedules_ticks_ck CHECK ((cron IS NULL) <> (every_ms IS NULL))
);
