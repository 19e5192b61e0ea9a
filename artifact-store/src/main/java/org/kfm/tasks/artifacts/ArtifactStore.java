package org.kfm.tasks.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

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

  /**
   * Every object whose key starts with {@code prefix}, read lazily as the stream is consumed, so a
   * store of millions of objects is listed in flat memory. Close the stream (try-with-resources).
   * The S3 store lists in key order, the filesystem store folder by folder in no set order. Objects
   * deleted or added meanwhile may or may not appear; a folder removed under the listing is no
   * error. A store that cannot be read fails the stream's traversal with {@link
   * java.io.UncheckedIOException}.
   */
  Stream<StoredObject> list(String prefix) throws IOException;

  /**
   * Deletes exactly these keys (not keys they are a prefix of). A key that holds nothing is no
   * error, so two deleters racing over the same keys both succeed.
   */
  void delete(Collection<String> keys) throws IOException;

  /** "filesystem" or "s3": for logs, metrics and health. */
  String kind();

  /** Releases the store's clients and connections; a store that holds none needs no override. */
  @Override
  default void close() {}
}
