-- orchwf schema, version 7, for PostgreSQL.
--
-- One row per schedule: its definition (a cron expression or an interval, the zone, the
-- input, what a tick does while the previous one runs) and where its ticks have got to.
-- A node that fires a tick moves next_fire_at past it with a conditional update, so that
-- of the nodes that fire one tick one advances the schedule; the instance the tick
-- starts is made unique by its idempotency key, schedule:<name>:<tick in epoch millis>.
CREATE TABLE orchwf_schedules (
    name             VARCHAR(255) NOT NULL,
    workflow_id      VARCHAR(255) NOT NULL,
    cron             VARCHAR(255),
    every_ms         BIGINT,
    zone             VARCHAR(64)  NOT NULL,
    input            JSONB        NOT NULL,
    overlap          VARCHAR(16)  NOT NULL,
    next_fire_at     TIMESTAMPTZ  NOT NULL,
    last_fire_at     TIMESTAMPTZ,
    last_instance_id VARCHAR(64),
    CONSTRAINT orchwf_schedules_pk PRIMARY KEY (name),
    CONSTRAINT orchwf_schedules_ticks_ck CHECK ((cron IS NULL) <> (every_ms IS NULL))
);
