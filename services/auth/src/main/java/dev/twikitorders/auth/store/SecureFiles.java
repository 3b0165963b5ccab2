package dev.twikitorders.auth.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold secrets: atomically (a temporary file in the same directory, written and
 * fsynced, then moved over the target with {@code ATOMIC_MOVE}, then the directory fsynced, so a
 * crash leaves either the old or the new content, never a torn file) and owner-only ({@code
 * rw-------}, directories it creates {@code rwx------}) on POSIX file systems. On other file
 * systems the permissions are left to the directory's defaults.
 *
 * <p>Thread-safety: stateless; concurrent writers of one file need their own lock (the last move
 * wins).
 */
public final class SecureFiles {

  /** {@code rw-------}. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      Set.copyOf(PosixFilePermissions.fromString("rw-------"));

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      Set.copyOf(PosixFilePermissions.fromString("rwx------"));

  private SecureFiles() {}

  /** Whether {@code file}'s file system supports POSIX permissions. */
  public static boolean isPosix(Path file) {
    return file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes {@code content} to {@code target} atomically and durably, owner-only.
   *
   * @param overwrite whether an existing {@code target} may be replaced
   * @throws FileAlreadyExistsException when {@code target} exists and {@code overwrite} is false
   * @throws IOException when the directory cannot be created or written
   */
  public static void writeAtomically(Path target, byte[] content, boolean overwrite)
      throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    boolean posix = isPosix(file);
    createPrivateDirectories(dir);
    if (!overwrite && Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "exists; not overwritten");
    }
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (overwrite) {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } else {
        linkOrMove(tmp, file);
      }
      fsyncDirectory(dir, posix);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates {@code dir} and its missing parents, those it creates owner-only ({@code rwx------}).
   */
  public static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (isPosix(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Publishes {@code tmp} as {@code file} unless {@code file} exists: a hard link fails atomically
   * when the name is taken; where hard links are not supported, an existence check and a move.
   */
  private static void linkOrMove(Path tmp, Path file) throws IOException {
    try {
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(file.toString(), null, "exists; not overwritten");
    } catch (UnsupportedOperationException | FileSystemException noLinks) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null, "exists; not overwritten");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Makes the directory entry durable (a rename is only durable once its directory is synced). */
  private static void fsyncDirectory(Path dir, boolean posix) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (posix) {
        throw e;
      }
      // Windows cannot open a directory as a channel; NTFS renames are journaled
    }
  }

  /**
   * Whether {@code file} is readable or writable by others than its owner (POSIX only; false
   * elsewhere).
   */
  public static boolean isSharedWithOthers(Path file) throws IOException {
    if (!isPosix(file)) {
      return false;
    }
    Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
    return p.contains(PosixFilePermission.GROUP_READ)
        || p.contains(PosixFilePermission.GROUP_WRITE)
        || p.contains(PosixFilePermission.OTHERS_READ)
        || p.contains(PosixFilePermission.OTHERS_WRITE);
  }
}
