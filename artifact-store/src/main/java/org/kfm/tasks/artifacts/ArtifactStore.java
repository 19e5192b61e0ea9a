package org.kfm.tasks.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where jobs' files live, by key ({@link ArtifactKeys#forJob}). A put replaces whatever the key
 * held in one step: a reader sees the old bytes or the new ones, never a part.
 */
public interface ArtifactStore extends AutoCloseable {

  /** Stores the file's bytes under {@code key}, replacing what was there. */
  void put(String key, Path file, String contentType) throws IOException;

  /**
   * Opens {@code length} bytes of the object from {@code offset}.
   *
   * @throws java.nio.file.NoSuchFileException when nothing is stored under the key
   */
  InputStream open(String key, long offset, long length) throws IOException;

  /** The stored object's size, or empty when nothing is stored under the key. */
  OptionalLong size(String key) throws IOException;

  /**
   * A URL anyone holding it may GET the object from until {@code ttl} has passed, or empty when
   * this store cannot presign (the filesystem store).
   */
  Optional<URI> presignedGet(String key, Duration ttl);

  /** Deletes every object whose key starts with {@code prefix} (retention, cleanup). */
  void deleteAll(String prefix) throws IOException;

  /** "filesystem" or "s3": for logs, metrics and health. */
  String kind();

  /** Releases the store's clients and connections; a store that holds none needs no override. */
  @Override
  default void close() {}
}
