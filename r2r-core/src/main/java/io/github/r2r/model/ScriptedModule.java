package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module without state, compiled by libtorch from TorchScript source kept as a classpath
 * resource of r2r. It reaches libtorch operators that DJL's NDArray API does not expose (fused
 * scaled-dot-product attention, bfloat16 tensors, which DJL 0.36 cannot even create) while everything
 * it needs comes in as arguments: weights stay where the {@link RankingModel} loaded them.
 *
 * <p>The source is written in the form {@code torch.jit.save} serialises, so libtorch's own loader
 * reads it from a minimal archive (the code, an empty {@code constants.pkl}, and a {@code data.pkl}
 * that holds one module object with a {@code training} attribute); no Python is involved. Thread-safe:
 * {@link #forward} may run on several threads at once.
 */
final class ScriptedModule implements AutoCloseable {
  /** TorchScript file format version of the archive (tested with libtorch 2.7.1, the engine r2r pins). */
  private static final String FORMAT_VERSION = "6";

  private final PtSymbolBlock block;

  private ScriptedModule(PtSymbolBlock block) {
    this.block = block;
  }

  /**
   * Compiles the module class {@code className} from the resource {@code resource} (relative to this
   * class), for tensors on {@code manager}'s device.
   */
  static ScriptedModule load(NDManager manager, String resource, String className) {
    checkArgument(className.matches("[A-Za-z_][A-Za-z0-9_]*"), "bad module class name '%s'", className);
    String source;
    try (InputStream in = ScriptedModule.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("r2r is missing its TorchScript resource " + resource);
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read TorchScript resource " + resource, e);
    }
    try {
      // Loaded from memory: no temporary file, nothing left behind.
      PtSymbolBlock block = JniUtils.loadModule(
          (PtNDManager) manager, new ByteArrayInputStream(archive(className, source)), false, false);
      return new ScriptedModule(block);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the TorchScript module " + className, e);
    }
  }

  /** Runs {@code forward}; the caller closes the inputs and the result. */
  IValue forward(IValue... inputs) {
    return block.forward(inputs);
  }

  @Override
  public void close() {
    block.close();
  }

  /** The TorchScript zip archive: stored (uncompressed) entries under {@code archive/}. */
  static byte[] archive(String className, String source) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      put(zip, "archive/data.pkl", modulePickle(className));
      // pickle protocol 2 of an empty tuple: the module has no constants
      put(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      put(zip, "archive/version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
      put(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
      put(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  /**
   * Pickle (protocol 2) of one {@code __torch__.className} object whose state is {@code {"training":
   * False}}: GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, key, value, SETITEMS, BUILD, STOP.
   */
  private static byte[] modulePickle(String className) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80);
    out.write(2);
    out.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(')');
    out.write(0x81);
    out.write('}');
    out.write('(');
    byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
    out.write('X'); // BINUNICODE: 4-byte little-endian length, then UTF-8
    out.write(key.length);
    out.write(0);
    out.write(0);
    out.write(0);
    out.writeBytes(key);
    out.write(0x89); // NEWFALSE
    out.write('u');
    out.write('b');
    out.write('.');
    return out.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }
}
