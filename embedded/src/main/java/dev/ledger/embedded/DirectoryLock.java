package dev.ledger.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a data directory, held by one process while it serves from it. The lock file sits beside
 * the directory ({@code <dir>.lock}), never inside it: initdb insists on an empty directory. Taken before anything
 * else touches the directory: a second Kafka started on the same log directory would otherwise write its
 * controller's metadata log before the broker notices the directory is busy. The OS releases the lock when
 * the process dies, so a crash never leaves it stale.
 */
public final class DirectoryLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir} or fails naming the process that holds it and the option to change. */
  public static DirectoryLock acquire(Path dir, String component, String option) {
    Path file = dir.resolveSibling(dir.getFileName() + ".lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldByThisJvm) {
        lock = null;
      }
      if (lock == null) {
        String holder = read(channel);
        channel.close();
        throw new InfrastructureException(component + " data directory " + dir + " is in use (held by "
            + holder + "); stop that process, or choose another directory with " + option);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now())
          .getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      return new DirectoryLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new InfrastructureException("cannot lock " + file + ": " + e.getMessage() + "; check " + option, e);
    }
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(200);
    int n = channel.read(buffer, 0);
    return n <= 0 ? "unknown pid" : new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }
}
