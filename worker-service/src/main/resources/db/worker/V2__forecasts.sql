-- Forecasts pulled from an NWS-style gridpoint API (ingest.noaa_forecast). They are shared
-- reference data: the same public forecast for every user, so no owner column; every analyst's
-- export of forecast_periods reads all of them.

-- One row per forecast period of a grid cell, keyed by where and when it starts: a newer pull of
-- the same grid overwrites the periods it repeats.
CREATE TABLE forecast_periods (
    office                     text             NOT NULL,
    grid_x                     int              NOT NULL,
    grid_y                     int              NOT NULL,
    start_time                 timestamptz      NOT NULL,
    end_time                   timestamptz      NOT NULL,
    period_number              int              NOT NULL,
    name                       text             NOT NULL,
    is_daytime                 boolean          NOT NULL,
    temperature                double precision NOT NULL,
    temperature_unit           text             NOT NULL,
    wind_speed                 text,
    wind_direction             text,
    short_forecast             text             NOT NULL,
    detailed_forecast          text,
    precipitation_probability  int,
    -- The grid cell's centroid (WGS 84), from the response's polygon; null when it had none.
    grid_lon                   double precision,
    grid_lat                   double precision,
    -- The upstream forecast this period came from.
    upstream_updated           timestamptz      NOT NULL,
    job_id                     uuid             NOT NULL,
    lineage                    jsonb            NOT NULL,
    PRIMARY KEY (office, grid_x, grid_y, start_time),
    CHECK (start_time < end_time)
);
CREATE INDEX forecast_periods_start ON forecast_periods (start_time);

-- The incremental marker per grid cell: what the last stored forecast was, so the next pull sends
-- If-None-Match and skips a forecast it already has.
CREATE TABLE forecast_markers (
    office            text        NOT NULL,
    grid_x            int         NOT NULL,
    grid_y            int         NOT NULL,
    upstream_updated  timestamptz NOT NULL,
    etag              text,
    url               text        NOT NULL,
    -- The grid cell's polygon as the upstream sent it (GeoJSON geometry).
    geometry          jsonb,
    periods           int         NOT NULL,
    stored_at         timestamptz NOT NULL,
    job_id            uuid        NOT NULL,
    lineage           jsonb       NOT NULL,
    PRIMARY KEY (office, grid_x, grid_y)
);
