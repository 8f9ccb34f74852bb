package io.github.r2r.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.github.r2r.util.OfflineDefaults;

/** Engine start-up policy: offline by default, and devices that fail with a message saying why. */
public final class Engines {
  /** A file every DJL pytorch-native-* jar holds. */
  private static final String NATIVE_JAR_MARKER = "native/lib/pytorch.properties";

  private Engines() {}

  /**
   * Makes DJL offline (no model-zoo downloads, no usage tracking) unless the user chose otherwise.
   * Must run before the engine first starts; every public entry point of r2r calls it.
   */
  public static void ensureOfflineDefaults() {
    OfflineDefaults.ensure();
  }

  /**
   * The PyTorch engine, started offline.
   *
   * @return the engine, started once per JVM
   * @throws IllegalStateException if the engine cannot start: no PyTorch native library for this
   *     platform on the classpath (r2r-core declares the one for linux-x86_64), or one that cannot be
   *     unpacked or loaded
   */
  public static Engine pytorch() {
    ensureOfflineDefaults();
    try {
      return Engine.getEngine("PyTorch");
    } catch (EngineException e) {
      throw new IllegalStateException(startFailure(e.getMessage()), e);
    }
  }

  /**
   * Why the engine did not start, as far as r2r can tell. DJL wraps every start failure alike ("Failed
   * to load PyTorch native library"); whether a native jar is on the classpath tells the two common
   * causes apart: none for this platform (a Mac, an ARM laptop), or one that could not be unpacked into
   * the DJL cache or loaded.
   */
  static String startFailure(String djlMessage) {
    String platform = System.getProperty("os.name") + " " + System.getProperty("os.arch");
    if (Engines.class.getClassLoader().getResource(NATIVE_JAR_MARKER) == null) {
      return "the PyTorch engine did not start on " + platform + ": no PyTorch native library is on the"
          + " classpath. r2r-core declares ai.djl.pytorch:pytorch-native-cpu for linux-x86_64; on another"
          + " platform, exclude it and declare the pytorch-native-* artifact and classifier that match (README,"
          + " Platforms; docs/gpu.md for GPUs). DJL runs offline here, so it does not download one. DJL said: "
          + djlMessage;
    }
    return "the PyTorch engine did not start on " + platform + " although a native library is on the"
        + " classpath: DJL unpacks it into its cache directory (DJL_CACHE_DIR, default ~/.djl.ai), which must"
        + " be writable, and loads it with the system's libraries. DJL said: " + djlMessage;
  }

  /**
   * Resolves a requested device: {@code null} means automatic (first GPU if the engine has one, else
   * CPU); a GPU that does not exist fails with instructions instead of a native crash later.
   *
   * @param requested the device asked for, or null for automatic
   * @return the device to run on
   * @throws IllegalStateException if the engine cannot start (see {@link #pytorch()}), or {@code
   *     requested} is a GPU the engine does not see
   */
  public static Device resolve(Device requested) {
    Engine engine = pytorch();
    int gpus = engine.getGpuCount();
    if (requested == null) {
      return gpus > 0 ? Device.gpu() : Device.cpu();
    }
    if (requested.isGpu() && requested.getDeviceId() >= gpus) {
      throw new IllegalStateException(
          "device "
              + requested
              + " was requested but the PyTorch engine sees "
              + gpus
              + " GPU(s). GPU inference needs a CUDA build of libtorch on the classpath "
              + "(replace ai.djl.pytorch:pytorch-native-cpu with a pytorch-native-cu* artifact, "
              + "see docs/gpu.md) and a visible NVIDIA driver.");
    }
    return requested;
  }
}
