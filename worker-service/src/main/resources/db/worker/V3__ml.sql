-- The model registry and the predictions of ml.retrain / ml.batch_inference.

-- One row per retrain job (a re-run of the job replaces its row and keeps its version). Versions
-- count up per owner and model name; the unique constraint makes two concurrent retrains of one
-- name collide instead of sharing a number (the loser's attempt is retried and takes the next).
CREATE TABLE ml_models (
    job_id           uuid PRIMARY KEY,
    owner            text        NOT NULL,
    name             text        NOT NULL,
    version          int         NOT NULL,
    target           text        NOT NULL,
    algorithm        text        NOT NULL,
    -- Feature names in the order the model was trained on, and the trainer's settings.
    features         jsonb       NOT NULL,
    hyperparameters  jsonb       NOT NULL,
    -- Hold-out scores (rmse, mae, r2), row counts, and the champion's scores on the same rows.
    metrics          jsonb       NOT NULL,
    dataset_version  text        NOT NULL,
    artifact_key     text        NOT NULL,
    artifact_size    bigint      NOT NULL,
    sha256           text        NOT NULL,
    promoted         boolean     NOT NULL,
    promotion_reason text        NOT NULL,
    lineage          jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    UNIQUE (owner, name, version)
);
-- At most one promoted version per owner and name: what batch inference uses by default.
CREATE UNIQUE INDEX ml_models_one_promoted ON ml_models (owner, name) WHERE promoted;

-- One prediction per model version and simulation run: a re-run of the same inference (or another
-- job scoring the same run with the same version) overwrites it with the same value.
CREATE TABLE ml_predictions (
    owner          text             NOT NULL,
    model_name     text             NOT NULL,
    model_version  int              NOT NULL,
    run_job_id     uuid             NOT NULL REFERENCES simulation_runs (job_id) ON DELETE CASCADE,
    target         text             NOT NULL,
    predicted      double precision NOT NULL,
    actual         double precision,
    job_id         uuid             NOT NULL,
    lineage        jsonb            NOT NULL,
    predicted_at   timestamptz      NOT NULL,
    PRIMARY KEY (owner, model_name, model_version, run_job_id)
);
CREATE INDEX ml_predictions_run ON ml_predictions (run_job_id);
