-- The jobs row is the outbox: it is committed first, then its command is published.
CREATE TABLE jobs (
    id                  uuid PRIMARY KEY,
    task                text        NOT NULL,
    task_version        int         NOT NULL,
    status              text        NOT NULL
        CHECK (status IN ('scheduled', 'queued', 'running', 'succeeded', 'failed', 'canceled', 'expired')),
    params              jsonb       NOT NULL,
    owner               text        NOT NULL,
    idempotency_key     text,
    params_hash         text        NOT NULL,
    queue               text        NOT NULL,
    attempt             int         NOT NULL DEFAULT 1,
    max_attempts        int         NOT NULL,
    run_at              timestamptz NOT NULL,
    deadline            timestamptz,
    -- When the dispatcher should publish this job; NULL once its current attempt is published.
    next_dispatch_at    timestamptz,
    dispatched_at       timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at   timestamptz,
    progress            jsonb,
    worker_id           text,
    result              jsonb,
    error               jsonb,
    cancel_requested_at timestamptz,
    lineage             jsonb,
    trace_id            text,
    CONSTRAINT jobs_idempotency UNIQUE (owner, task, idempotency_key)
);

-- Partial index on due, undispatched rows: the dispatcher's claim stays fast however many
-- finished rows the table holds and however stale the planner statistics are.
CREATE INDEX jobs_due ON jobs (next_dispatch_at) WHERE next_dispatch_at IS NOT NULL;
CREATE INDEX jobs_owner_created ON jobs (owner, created_at DESC, id DESC);
CREATE INDEX jobs_created ON jobs (created_at DESC, id DESC);
CREATE INDEX jobs_active_status ON jobs (status) WHERE status IN ('scheduled', 'queued', 'running');

CREATE TABLE job_events (
    id       bigserial PRIMARY KEY,
    job_id   uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    event_id uuid        UNIQUE,
    type     text        NOT NULL,
    attempt  int         NOT NULL,
    at       timestamptz NOT NULL,
    data     jsonb
);
CREATE INDEX job_events_job ON job_events (job_id, id);
