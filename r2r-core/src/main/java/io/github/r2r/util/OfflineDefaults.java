package io.github.r2r.util;

/**
 * r2r's promise that nothing is downloaded at run time: DJL offline (no model-zoo or native-library
 * downloads) and without usage tracking, unless the user chose otherwise. In its own dependency-free
 * class because both the engine start-up ({@code model.Engines}) and the tokenizer ({@code
 * text.TextTokenizer}), which loads DJL's native tokenizer library and may start before any engine,
 * must apply it first.
 */
public final class OfflineDefaults {
  private OfflineDefaults() {}

  /** Sets {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} to true unless set as property or environment. */
  public static void ensure() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
