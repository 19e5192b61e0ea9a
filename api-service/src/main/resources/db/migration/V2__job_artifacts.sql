-- The files a job's successful attempt produced, recorded by the projector in the transaction that
-- marks the job succeeded. The bytes live in the artifact store under storage_key; a re-run of the
-- job overwrites the rows of the names it produces again.
CREATE TABLE job_artifacts (
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    sha256       text        NOT NULL,
    storage_key  text        NOT NULL,
    attempt      int         NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, name)
);
