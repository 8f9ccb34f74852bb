package io.github.r2r.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class OpenMpWaitPolicyTest {
  private static final OpenMpWaitPolicy.CLibrary LIBC =
      Native.load(Platform.C_LIBRARY_NAME, OpenMpWaitPolicy.CLibrary.class);

  @Test
  void passiveWaitingIsChosenWhenTheUserChoseNothing() {
    assumeTrue(Platform.isLinux() || Platform.isMac());
    assumeTrue(System.getenv("OMP_WAIT_POLICY") == null && System.getenv("GOMP_SPINCOUNT") == null);
    OpenMpWaitPolicy.preferPassiveWaiting();
    assertEquals("PASSIVE", OpenMpWaitPolicy.current());
  }

  @Test
  void aPolicyTheUserSetIsKept() {
    assumeTrue(Platform.isLinux() || Platform.isMac());
    String before = LIBC.getenv("OMP_WAIT_POLICY");
    try {
      LIBC.setenv("OMP_WAIT_POLICY", "ACTIVE", 1);
      OpenMpWaitPolicy.preferPassiveWaiting();
      assertEquals("ACTIVE", OpenMpWaitPolicy.current());
    } finally {
      if (before == null) {
        LIBC.unsetenv("OMP_WAIT_POLICY");
      } else {
        LIBC.setenv("OMP_WAIT_POLICY", before, 1);
      }
    }
  }
}
