package dev.twikitorders.auth.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another process for the locking tests: locks the file named by its argument exclusively, prints
 * {@code locked}, and releases the lock and exits when a line arrives on stdin (or stdin closes).
 * Uses the JDK only, so its class path is just the test classes.
 */
public final class LockHolder {

  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel ch =
            FileChannel.open(
                Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      System.out.println("locked");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    System.out.println("released");
    System.out.flush();
  }
}
