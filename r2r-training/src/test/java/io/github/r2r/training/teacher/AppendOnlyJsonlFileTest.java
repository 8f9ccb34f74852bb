package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendOnlyJsonlFileTest {
  @TempDir Path dir;

  @Test
  void aFailedAppendLeavesNoFragmentAndStopsFurtherAppends() throws IOException {
    Path path = dir.resolve("calls.jsonl");
    FailingChannel channel = new FailingChannel(
        FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
    try (AppendOnlyJsonlFile file = AppendOnlyJsonlFile.open(path, channel)) {
      file.append(record(1));
      channel.failNextWriteAfter(5); // a full disk: 5 bytes of the line get written, then an error

      IOException full = assertThrows(IOException.class, () -> file.append(record(2)));
      assertEquals("No space left on device", full.getMessage());
      IOException later = assertThrows(IOException.class, () -> file.append(record(3)));
      assertTrue(later.getMessage().startsWith(path + ": not written, since an earlier append failed"),
          later.getMessage());
    }
    assertEquals(List.of("{\"n\":1}"), Files.readAllLines(path), "the fragment of record 2 was cut off");
    try (AppendOnlyJsonlFile reopened = AppendOnlyJsonlFile.open(path)) {
      assertEquals(List.of(record(1)), reopened.existing());
      assertEquals(0, reopened.discardedPartialLines());
      reopened.append(record(2)); // the resumed run writes on
    }
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), Files.readAllLines(path));
  }

  private static JsonObject record(int n) {
    JsonObject record = new JsonObject();
    record.addProperty("n", n);
    return record;
  }

  /** A file channel that, once armed, writes some bytes of the next write and then fails like a full disk. */
  private static final class FailingChannel extends FileChannel {
    private final FileChannel file;
    private int failAfter = -1;

    FailingChannel(FileChannel file) {
      this.file = file;
    }

    void failNextWriteAfter(int bytes) {
      failAfter = bytes;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      if (failAfter < 0) {
        return file.write(source);
      }
      ByteBuffer part = source.duplicate();
      part.limit(part.position() + Math.min(failAfter, part.remaining()));
      file.write(part);
      failAfter = -1;
      throw new IOException("No space left on device");
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
      return file.read(target);
    }

    @Override
    public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
      return file.read(targets, offset, length);
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
      return file.write(sources, offset, length);
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public FileChannel position(long position) throws IOException {
      file.position(position);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
      return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
      return file.transferFrom(source, position, count);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
      return file.read(target, position);
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
      return file.write(source, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      file.close();
    }
  }
}
