package dev.ledger.cli.projections;

import java.io.PrintWriter;

/** A one-line progress bar with events per second and the time left, redrawn in place. */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter out;
  private final long total;
  private final long start = System.nanoTime();

  public ProgressBar(PrintWriter out, long total) {
    this.out = out;
    this.total = total;
  }

  public void show(long done) {
    out.print("\r" + line(done, total, (System.nanoTime() - start) / 1e9));
    out.flush();
  }

  static String line(long done, long total, double seconds) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double rate = seconds <= 0 ? 0 : done / seconds;
    String eta = rate <= 0 ? "--:--" : clock((long) Math.ceil((total - Math.min(done, total)) / rate));
    return String.format(java.util.Locale.ROOT, "[%s%s] %3d%% %,d/%,d events %,.0f ev/s ETA %s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(fraction * 100), done, total, rate, eta);
  }

  static String clock(long seconds) {
    return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%d:%02d", seconds / 60, seconds % 60);
  }
}
