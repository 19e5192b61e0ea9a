package org.kfm.tasks.artifacts;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Keeps each object as the file {@code root/key}. A put writes a hidden temporary file beside the
 * target ({@code .<name>.<random>.tmp}, so a crash leaves recognisable leftovers that no key can
 * name) and renames it over the target, which readers see as one step.
 */
public final class FileSystemArtifactStore implements ArtifactStore {
  // Each try loses only if a cleanup removes the folder in the microseconds between two calls; a
  // cleanup looping over the same folder on a loaded machine was seen to win ten times in a row.
  private static final int FOLDER_TRIES = 100;
  private final Path root;

  public FileSystemArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String key, Path file, String contentType) throws IOException {
    Path target = resolve(key);
    Path dir = target.getParent();
    Path temp = null;
    // A cleanup may remove the folder it just emptied between our createDirectories and the
    // temporary file's creation; the folder is then simply made again.
    for (int tries = 1; temp == null; tries++) {
      if (tries > 1) {
        // Let the cleanup finish its pass over the folder instead of racing it again at once.
        Thread.yield();
      }
      Files.createDirectories(dir);
      temp = writeTemporary(dir, target, file, tries == FOLDER_TRIES);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    syncDirectory(dir);
  }

  /** The written temporary file, or null when its folder vanished before it could be created. */
  private static Path writeTemporary(Path dir, Path target, Path file, boolean lastTry)
      throws IOException {
    Path temp = dir.resolve(temporaryName(target));
    FileChannel out;
    try {
      out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (NoSuchFileException folderGone) {
      if (lastTry) {
        throw folderGone;
      }
      return null;
    }
    try (out) {
      Files.copy(file, Channels.newOutputStream(out));
      // Without this a crash right after the rename could leave the new name on empty blocks.
      out.force(true);
    } catch (IOException | RuntimeException e) {
      deleteAfterFailure(temp, e);
      throw e;
    }
    return temp;
  }

  private static void deleteAfterFailure(Path temp, Exception e) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException cleanup) {
      e.addSuppressed(cleanup);
    }
  }

  @Override
  public InputStream open(String key, long offset, long length) throws IOException {
    requireRange(offset, length);
    Path path = resolve(key);
    // A folder is only part of other keys, as a key prefix is in S3: nothing is stored under it.
    if (Files.isDirectory(path)) {
      throw new NoSuchFileException(key);
    }
    SeekableByteChannel channel;
    try {
      channel = Files.newByteChannel(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      // Callers know keys, not where this store keeps them.
      throw new NoSuchFileException(key);
    }
    try {
      channel.position(offset);
      return new RangeInputStream(Channels.newInputStream(channel), length);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public OptionalLong size(String key) throws IOException {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(resolve(key), BasicFileAttributes.class);
      return attributes.isRegularFile() ? OptionalLong.of(attributes.size()) : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public Optional<URI> presignedGet(String key, Duration ttl) {
    StoreKeys.requireKey(key);
    return Optional.empty();
  }

  /**
   * Deletes the matching files, then the folders this emptied, up to the prefix's own folder; the
   * folders above it stay, so a put into a sibling folder never races the removal of its parent.
   */
  @Override
  public void deleteAll(String prefix) throws IOException {
    StoreKeys.requirePrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start)) {
      return;
    }
    Files.walkFileTree(start, new PrefixDeleter(prefix));
  }

  @Override
  public Stream<StoredObject> list(String prefix) throws IOException {
    StoreKeys.requirePrefix(prefix);
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : resolve(prefix.substring(0, slash));
    FileTreeListing listing = new FileTreeListing(root, start, prefix);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                listing, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT),
            false)
        .onClose(
            () -> {
              try {
                listing.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /**
   * Deletes each key's file, then the folders this emptied up to the key's top-level folder ({@code
   * jobs}, {@code tiles}), which stays.
   */
  @Override
  public void delete(Collection<String> keys) throws IOException {
    List<Path> files = new ArrayList<>(keys.size());
    for (String key : keys) {
      files.add(resolve(key));
    }
    for (Path file : files) {
      // A folder holds no object, as a key prefix holds none in S3.
      if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(file);
      }
      removeEmptyFolders(file.getParent());
    }
  }

  private void removeEmptyFolders(Path dir) throws IOException {
    for (Path d = dir; d != null && d.getNameCount() > root.getNameCount() + 1; d = d.getParent()) {
      try {
        Files.deleteIfExists(d);
      } catch (DirectoryNotEmptyException stillUsed) {
        return;
      }
    }
  }

  @Override
  public String kind() {
    return "filesystem";
  }

  Path resolve(String key) {
    Path path = root.resolve(StoreKeys.requireKey(key)).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("artifact key '" + key + "' leaves the store's folder");
    }
    return path;
  }

  private String keyOf(Path path) {
    return root.relativize(path).toString().replace(File.separatorChar, '/');
  }

  private static String temporaryName(Path target) {
    return "."
        + target.getFileName()
        + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".tmp";
  }

  static void requireRange(long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset and length must not be negative: " + offset + ", " + length);
    }
  }

  // Makes the rename itself durable. Some platforms cannot open a folder for syncing; there the
  // file's own force is the best on offer.
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not supported here
    }
  }

  private final class PrefixDeleter extends SimpleFileVisitor<Path> {
    private final String prefix;

    PrefixDeleter(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
      if (keyOf(file).startsWith(prefix)) {
        Files.deleteIfExists(file);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      // Something else removed it meanwhile: it is gone either way.
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
      if (e != null && !(e instanceof NoSuchFileException)) {
        throw e;
      }
      if (!dir.equals(root) && (keyOf(dir) + "/").startsWith(prefix)) {
        try {
          Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException stillUsed) {
          // holds files outside the prefix, or a put arrived meanwhile
        }
      }
      return FileVisitResult.CONTINUE;
    }
  }
}
