package io.github.r2r.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
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

  /** The PyTorch engine, started offline. */
  public static Engine pytorch() {
    ensureOfflineDefaults();
    return Engine.getEngine("PyTorch");
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
