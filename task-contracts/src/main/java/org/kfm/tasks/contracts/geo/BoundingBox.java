package org.kfm.tasks.contracts.geo;

/**
 * A WGS 84 box in degrees. West must lie west of east: a box across the antimeridian is two
 * requests. Latitudes beyond Web Mercator's ±85.0511° are accepted and clamped when tiles are
 * computed.
 */
public record BoundingBox(double west, double south, double east, double north) {}
