package io.github.r2r.training.teacher;

import com.google.common.collect.ImmutableList;
import com.google.common.io.ByteStreams;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL file that survives being killed mid-write: one JSON object per line, each appended record
 * forced to disk before {@link #append} returns, and an exclusive lock so two runs never write the
 * same file.
 *
 * <p>On open, a last line without its newline is what a killed writer leaves behind: if it is a
 * complete JSON object it is kept (and its newline added), otherwise it is cut off and counted in
 * {@link #discardedPartialLines()}. A bad line anywhere else is not a crash artefact, so opening
 * fails with its line number rather than silently dropping data.
 */
final class AppendOnlyJsonlFile implements Closeable {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;
  private final ImmutableList<JsonObject> existing;
  private final int discardedPartialLines;
  /** The first append that failed; once set, nothing more is written. Guarded by this. */
  private IOException failedAppend;

  private AppendOnlyJsonlFile(
      Path path,
      FileChannel channel,
      FileLock lock,
      ImmutableList<JsonObject> existing,
      int discardedPartialLines) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
    this.existing = existing;
    this.discardedPartialLines = discardedPartialLines;
  }

  /** Opens (creating if needed) {@code path}, recovering from an interrupted last write. */
  static AppendOnlyJsonlFile open(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return open(
        path,
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  /** {@link #open(Path)} on a channel already open on {@code path} (tests pass one that fails). */
  static AppendOnlyJsonlFile open(Path path, FileChannel channel) throws IOException {
    try {
      FileLock lock = lockOrFail(channel, path);
      long completeEnd = endOfLastCompleteLine(channel);
      List<JsonObject> records = readCompleteLines(channel, completeEnd, path);
      int discarded = 0;
      if (completeEnd < channel.size()) {
        JsonObject tail = parseTail(channel, completeEnd);
        channel.truncate(completeEnd);
        channel.position(completeEnd);
        if (tail != null) {
          records.add(tail);
          write(channel, tail);
        } else {
          discarded = 1;
        }
      }
      channel.position(channel.size());
      return new AppendOnlyJsonlFile(path, channel, lock, ImmutableList.copyOf(records), discarded);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The records that were in the file when it was opened, in file order. */
  ImmutableList<JsonObject> existing() {
    return existing;
  }

  /** 1 if an incomplete last line was found and cut off on open, else 0. */
  int discardedPartialLines() {
    return discardedPartialLines;
  }

  Path path() {
    return path;
  }

  /**
   * Appends one record as one line and forces it to disk. If that fails (a full disk), the part
   * written is cut off again and every later append fails too: a fragment followed by further lines
   * would be a bad line in the middle of the file, which the next open refuses, and the run could not
   * resume.
   */
  synchronized void append(JsonObject record) throws IOException {
    if (failedAppend != null) {
      throw new IOException(
          path + ": not written, since an earlier append failed (" + failedAppend.getMessage() + ")", failedAppend);
    }
    long start = channel.position();
    try {
      write(channel, record);
      channel.force(false);
    } catch (IOException e) {
      failedAppend = e;
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException cleanup) {
        // The next open still recovers: a fragment at the end of the file is cut off there.
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }

  private static void write(FileChannel channel, JsonObject record) throws IOException {
    ByteBuffer bytes =
        ByteBuffer.wrap((GSON.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private static FileLock lockOrFail(FileChannel channel, Path path) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException(path + " is in use by another labelling run (it is locked)");
    }
    return lock;
  }

  /** Offset just after the last newline, i.e. the end of the last complete line. */
  private static long endOfLastCompleteLine(FileChannel channel) throws IOException {
    long size = channel.size();
    ByteBuffer chunk = ByteBuffer.allocate(8192);
    long end = size;
    while (end > 0) {
      long start = Math.max(0, end - chunk.capacity());
      chunk.clear().limit((int) (end - start));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, start + chunk.position()) < 0) {
          break;
        }
      }
      for (int i = chunk.position() - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          return start + i + 1;
        }
      }
      end = start;
    }
    return 0;
  }

  private static List<JsonObject> readCompleteLines(FileChannel channel, long end, Path path)
      throws IOException {
    List<JsonObject> records = new ArrayList<>();
    channel.position(0);
    // Not closed: closing the stream would close the channel this object goes on writing to.
    BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                ByteStreams.limit(Channels.newInputStream(channel), end), StandardCharsets.UTF_8));
    String line;
    int lineNumber = 0;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonObject record = parseObject(line);
      if (record == null) {
        throw new IOException(
            path
                + " line "
                + lineNumber
                + " is not a JSON object; the file was changed by something other than an"
                + " append: fix or remove that line");
      }
      records.add(record);
    }
    return records;
  }

  private static JsonObject parseTail(FileChannel channel, long start) throws IOException {
    long length = channel.size() - start;
    if (length > Integer.MAX_VALUE) {
      return null;
    }
    ByteBuffer tail = ByteBuffer.allocate((int) length);
    while (tail.hasRemaining()) {
      if (channel.read(tail, start + tail.position()) < 0) {
        break;
      }
    }
    return parseObject(new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8));
  }

  private static JsonObject parseObject(String line) {
    try {
      JsonElement element = JsonParser.parseString(line);
      return element.isJsonObject() ? element.getAsJsonObject() : null;
    } catch (JsonParseException e) {
      return null;
    }
  }
}
