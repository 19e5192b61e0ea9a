-- The scene catalogue: one row per imagery scene, however often its arrival event is delivered.
CREATE TABLE imagery_scenes (
    scene_id     text             PRIMARY KEY,
    sensor       text             NOT NULL,
    acquired_at  timestamptz      NOT NULL,
    cloud_cover  double precision,
    footprint    jsonb            NOT NULL,
    west         double precision NOT NULL,
    south        double precision NOT NULL,
    east         double precision NOT NULL,
    north        double precision NOT NULL,
    -- Who published the event (the job's owner) and the job that recorded it.
    owner        text             NOT NULL,
    job_id       uuid             NOT NULL,
    lineage      jsonb            NOT NULL,
    recorded_at  timestamptz      NOT NULL
);
CREATE INDEX imagery_scenes_acquired ON imagery_scenes (acquired_at);
