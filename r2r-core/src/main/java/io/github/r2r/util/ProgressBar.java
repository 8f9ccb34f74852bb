package io.github.r2r.util;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintStream;

/**
 * A one-line text progress bar with rate and ETA, redrawn in place with {@code \r}. Meant for stderr
 * so that a program's stdout stays clean for results. Redraws at most every 200 ms.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long done;
  private long lastDrawNanos;
  private String suffix = "";

  /**
   * A bar at 0 of {@code total}; nothing is drawn before the first {@link #step}.
   *
   * @param out where to draw, normally {@code System.err}
   * @param label text before the bar
   * @param total units of work in all; 0 shows a full bar
   * @throws IllegalArgumentException if {@code total} is negative
   */
  public ProgressBar(PrintStream out, String label, long total) {
    checkArgument(total >= 0, "total must be non-negative, got %s", total);
    this.out = out;
    this.label = label;
    this.total = total;
  }

  /**
   * Advances by {@code n} units, redrawing at most every 200 ms and once {@code total} is reached.
   *
   * @param n units done since the last call
   */
  public synchronized void step(long n) {
    done += n;
    long now = System.nanoTime();
    if (now - lastDrawNanos >= REDRAW_NANOS || done >= total) {
      lastDrawNanos = now;
      draw(now);
    }
  }

  /**
   * Text shown after the bar (e.g. the current loss), from the next redraw on.
   *
   * @param text the text; null for none
   */
  public synchronized void suffix(String text) {
    this.suffix = text == null ? "" : text;
  }

  /** Draws the final state and ends the line. */
  public synchronized void finish() {
    draw(System.nanoTime());
    out.println();
    out.flush();
  }

  private void draw(long now) {
    double seconds = (now - startNanos) / 1e9;
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double rate = seconds > 0 ? done / seconds : 0;
    double eta = rate > 0 ? (total - done) / rate : 0;
    out.printf(
        "\r%s [%s%s] %d/%d %.1f/s %s<%s %s",
        label,
        "=".repeat(filled),
        " ".repeat(WIDTH - filled),
        done,
        total,
        rate,
        clock(seconds),
        clock(eta),
        suffix);
    out.flush();
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d", s / 60, s % 60);
  }
}
