-- Recurring jobs. Each row names its next slot (next_fire_at, an instant computed from cron in
-- time_zone); the api's firing loop claims due rows with FOR UPDATE SKIP LOCKED, inserts the job of
-- the slot with the idempotency key schedule:<name>:<slot>, and moves next_fire_at past now() in
-- the same transaction, so any number of api replicas fire each slot once.
CREATE TABLE schedules (
    name          text        PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    cron          text        NOT NULL,
    time_zone     text        NOT NULL,
    task          text        NOT NULL,
    params        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    enabled       boolean     NOT NULL DEFAULT true,
    catch_up      text        NOT NULL DEFAULT 'fire_once' CHECK (catch_up IN ('fire_once', 'skip')),
    overlap       text        NOT NULL DEFAULT 'allow' CHECK (overlap IN ('allow', 'skip_if_running')),
    next_fire_at  timestamptz NOT NULL,
    last_fired_at timestamptz,
    last_job_id   uuid,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The claim reads only enabled rows by next_fire_at: independent of planner statistics.
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled;
