package io.github.r2r.model;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Makes libtorch's OpenMP threads sleep, not spin, while they wait for work, unless the user chose a
 * policy.
 *
 * <p>Why: with the default (spin for a while at every barrier), two intra-op threads on a machine whose
 * cores are also busy with other work ran a transformer layer about 4x slower than with passive waiting
 * (412 ms vs 106 ms per layer at load average 7 on 2 cores; see docs/performance.md): a spinning thread
 * burns the time slice the descheduled one needs to reach the barrier. On an idle machine passive
 * waiting costs one futex wake-up per parallel region, a few microseconds against milliseconds of work.
 *
 * <p>libgomp reads {@code OMP_WAIT_POLICY} once, when libtorch loads, so this must run before the PyTorch
 * engine starts in the JVM; later it has no effect. A value the user set ({@code OMP_WAIT_POLICY} or
 * {@code GOMP_SPINCOUNT} in the environment) is kept. Only Linux and macOS are handled (libtorch on
 * Windows uses another OpenMP runtime); where the C library cannot be loaded nothing changes.
 */
public final class OpenMpWaitPolicy {
  static final String WAIT_POLICY = "OMP_WAIT_POLICY";
  static final String SPIN_COUNT = "GOMP_SPINCOUNT";

  private OpenMpWaitPolicy() {}

  /** The C library's environment functions; Java's own view of the environment is read-only. */
  interface CLibrary extends Library {
    String getenv(String name);

    int setenv(String name, String value, int overwrite);

    int unsetenv(String name);
  }

  /** Sets {@code OMP_WAIT_POLICY=PASSIVE} in the process environment unless a wait policy is set. */
  public static synchronized void preferPassiveWaiting() {
    if (!(Platform.isLinux() || Platform.isMac())) {
      return;
    }
    CLibrary c;
    try {
      c = libc();
    } catch (UnsatisfiedLinkError e) {
      return; // only a speed setting: without a loadable C library the engine still works
    }
    if (c.getenv(WAIT_POLICY) == null && c.getenv(SPIN_COUNT) == null) {
      c.setenv(WAIT_POLICY, "PASSIVE", 0);
    }
  }

  /**
   * {@return the wait policy native code sees ({@code OMP_WAIT_POLICY} of the process environment), or
   * null when unset or on an operating system other than Linux and macOS}
   */
  public static String current() {
    return Platform.isLinux() || Platform.isMac() ? libc().getenv(WAIT_POLICY) : null;
  }

  private static CLibrary libc() {
    return Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
  }
}
