-- The worker's own data, in its own schema: the api's tables are never touched from here.

-- One row per job whose outputs were stored: written in the transaction that stores them, so a
-- re-run of the job replaces both together.
CREATE TABLE job_outputs (
    job_id       uuid PRIMARY KEY,
    task         text        NOT NULL,
    attempt      int         NOT NULL,
    lineage      jsonb       NOT NULL,
    stored_at    timestamptz NOT NULL
);

-- One row per simulation job: what was asked, what came out, and where it comes from.
CREATE TABLE simulation_runs (
    job_id              uuid PRIMARY KEY,
    -- Who submitted the simulation: reports and exports see only their owner's runs.
    owner               text             NOT NULL,
    scenario_id         text             NOT NULL,
    params              jsonb            NOT NULL,
    seed                text             NOT NULL,
    runs                int              NOT NULL,
    horizon_years       int              NOT NULL,
    mean                double precision NOT NULL,
    std_dev             double precision NOT NULL,
    min_loss            double precision NOT NULL,
    max_loss            double precision NOT NULL,
    p5                  double precision NOT NULL,
    p50                 double precision NOT NULL,
    p95                 double precision NOT NULL,
    p99                 double precision NOT NULL,
    probability_of_loss double precision NOT NULL,
    histogram           jsonb            NOT NULL,
    site_lon            double precision,
    site_lat            double precision,
    lineage             jsonb            NOT NULL,
    finished_at         timestamptz      NOT NULL
);
CREATE INDEX simulation_runs_owner_scenario ON simulation_runs (owner, scenario_id, finished_at);
CREATE INDEX simulation_runs_owner_finished ON simulation_runs (owner, finished_at);

-- Files made from a run (its report), keyed by run and name: a re-run of the report job
-- overwrites its row as it overwrites its file.
CREATE TABLE simulation_run_artifacts (
    run_job_id   uuid   NOT NULL REFERENCES simulation_runs (job_id) ON DELETE CASCADE,
    name         text   NOT NULL,
    job_id       uuid   NOT NULL,
    content_type text   NOT NULL,
    size         bigint NOT NULL,
    sha256       text   NOT NULL,
    storage_key  text   NOT NULL,
    lineage      jsonb  NOT NULL,
    PRIMARY KEY (run_job_id, name)
);
