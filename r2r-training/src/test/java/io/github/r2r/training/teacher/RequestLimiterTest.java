package io.github.r2r.training.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {

  @Test
  void blocksBeyondTheConcurrencyLimitUntilARelease() throws Exception {
    RequestLimiter limiter = new RequestLimiter(2, 0, Duration.ofMinutes(1));
    limiter.acquire();
    limiter.acquire();
    CountDownLatch third = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                limiter.acquire();
                third.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();

    assertFalse(third.await(100, TimeUnit.MILLISECONDS), "a third request started");
    limiter.release();
    assertTrue(third.await(2, TimeUnit.SECONDS), "the third request never started");
    waiter.join();
  }

  @Test
  void spacesStartsToTheRateWithinEachWindow() throws Exception {
    RequestLimiter limiter = new RequestLimiter(10, 2, Duration.ofMillis(200));
    long start = System.nanoTime();
    for (int i = 0; i < 5; i++) {
      limiter.acquire();
      limiter.release();
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

    assertTrue(elapsedMillis >= 400, "5 starts at 2 per 200 ms took " + elapsedMillis + " ms");
  }

  @Test
  void aPauseHoldsEveryStartUntilItsEndAndAShorterOneDoesNotEndItEarly() throws Exception {
    RequestLimiter limiter = new RequestLimiter(4, 0, Duration.ofMinutes(1));
    long start = System.nanoTime();
    limiter.pauseFor(Duration.ofMillis(400));
    limiter.pauseFor(Duration.ofMillis(10));
    long[] startedAfterMillis = new long[1];
    Thread other =
        new Thread(
            () -> {
              try {
                limiter.acquire();
                startedAfterMillis[0] = (System.nanoTime() - start) / 1_000_000;
                limiter.release();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    other.start();
    limiter.acquire();
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    limiter.release();
    other.join();

    assertTrue(elapsedMillis >= 400, "started " + elapsedMillis + " ms into a 400 ms pause");
    assertTrue(
        startedAfterMillis[0] >= 400,
        "another thread started " + startedAfterMillis[0] + " ms into a 400 ms pause");
  }

  @Test
  void limitsAreValidated() {
    IllegalArgumentException concurrent =
        assertThrows(
            IllegalArgumentException.class, () -> new RequestLimiter(0, 0, Duration.ofMinutes(1)));
    assertEquals("maxConcurrent must be >= 1, got 0", concurrent.getMessage());
    IllegalArgumentException rate =
        assertThrows(
            IllegalArgumentException.class, () -> new RequestLimiter(1, -1, Duration.ofMinutes(1)));
    assertEquals("requests per window must be >= 0, got -1", rate.getMessage());
  }
}
