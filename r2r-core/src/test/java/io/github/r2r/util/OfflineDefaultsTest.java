package io.github.r2r.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OfflineDefaultsTest {
  @Test
  void setsDjlOfflineAndNoTrackingUnlessTheUserChose() {
    String offline = System.getProperty("ai.djl.offline");
    String tracking = System.getProperty("OPT_OUT_TRACKING");
    try {
      System.clearProperty("ai.djl.offline");
      System.setProperty("OPT_OUT_TRACKING", "false"); // the user's choice stands
      OfflineDefaults.ensure();
      assertEquals(System.getenv("DJL_OFFLINE") == null ? "true" : null, System.getProperty("ai.djl.offline"));
      assertEquals("false", System.getProperty("OPT_OUT_TRACKING"));
    } finally {
      restore("ai.djl.offline", offline);
      restore("OPT_OUT_TRACKING", tracking);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
