package org.kfm.tasks.artifacts;

import java.time.Instant;

/**
 * One object of a store as a listing sees it.
 *
 * @param lastModified when its bytes were last written: the put's time (a put replaces the whole
 *     object, so a re-run makes it young again)
 */
public record StoredObject(String key, long size, Instant lastModified) {}
