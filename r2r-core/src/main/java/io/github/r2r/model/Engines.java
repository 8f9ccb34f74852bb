package io.github.r2r.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import io.github.r2r.util.OfflineDefaults;

/** Engine start-up policy: offline by default, and devices that fail with a message saying why. */
public final class Engines {
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
   * @throws IllegalStateException if the engine cannot start, most likely because no PyTorch native
   *     library for this platform is on the classpath (r2r-core declares the one for linux-x86_64)
   */
  public static Engine pytorch() {
    ensureOfflineDefaults();
    try {
      return Engine.getEngine("PyTorch");
    } catch (EngineException e) {
      // DJL's own message speaks of an index file it could not save; offline, that means it found no
      // native library on the classpath to unpack and may not download one.
      throw new IllegalStateException(
          "the PyTorch engine did not start on "
              + System.getProperty("os.name") + " " + System.getProperty("os.arch")
              + ". r2r-core declares ai.djl.pytorch:pytorch-native-cpu for linux-x86_64; on another platform,"
              + " exclude it and declare the pytorch-native-* artifact and classifier that match (README,"
              + " Platforms; docs/gpu.md for GPUs). DJL runs offline here, so it does not download a native"
              + " library. DJL said: " + e.getMessage(),
          e);
    }
  }

  /**
   * Resolves a requested device: {@code null} means automatic (first GPU if the engine has one, else
   * CPU); a GPU that does not exist fails with instructions instead of a native crash later.
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
