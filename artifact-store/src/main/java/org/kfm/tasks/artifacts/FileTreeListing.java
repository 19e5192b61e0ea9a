package org.kfm.tasks.artifacts;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The filesystem store's objects under a key prefix, walked depth first with one open folder per
 * level, so memory stays flat however many files there are. Unlike {@link Files#walk}, a folder or
 * file removed while the walk runs (a concurrent cleanup) is skipped instead of ending the walk.
 * Links are not followed and hidden names (the store's temporary files) are not objects.
 */
final class FileTreeListing implements Iterator<StoredObject>, Closeable {
  private final Path root;
  private final String prefix;
  private final Deque<DirectoryStream<Path>> open = new ArrayDeque<>();
  private final Deque<Iterator<Path>> entries = new ArrayDeque<>();
  private StoredObject next;

  FileTreeListing(Path root, Path start, String prefix) throws IOException {
    this.root = root;
    this.prefix = prefix;
    enter(start);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public StoredObject next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    StoredObject found = next;
    next = null;
    return found;
  }

  private StoredObject advance() {
    try {
      while (!entries.isEmpty()) {
        Iterator<Path> level = entries.peek();
        Path path;
        try {
          if (!level.hasNext()) {
            entries.pop();
            open.pop().close();
            continue;
          }
          path = level.next();
        } catch (DirectoryIteratorException e) {
          if (e.getCause() instanceof NoSuchFileException) {
            entries.pop();
            open.pop().close();
            continue;
          }
          throw e.getCause();
        }
        if (path.getFileName().toString().startsWith(".")) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
          continue;
        }
        String key = keyOf(path);
        if (attributes.isDirectory()) {
          String folder = key + "/";
          if (folder.startsWith(prefix) || prefix.startsWith(folder)) {
            enter(path);
          }
        } else if (attributes.isRegularFile() && key.startsWith(prefix)) {
          return new StoredObject(
              key, attributes.size(), attributes.lastModifiedTime().toInstant());
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void enter(Path dir) throws IOException {
    DirectoryStream<Path> stream;
    try {
      stream = Files.newDirectoryStream(dir);
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return;
    }
    open.push(stream);
    entries.push(stream.iterator());
  }

  private String keyOf(Path path) {
    return root.relativize(path).toString().replace(File.separatorChar, '/');
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    entries.clear();
    if (first != null) {
      throw first;
    }
  }
}
