package dev.myelin.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with a title, a header row and left-aligned first column; other columns are
 * right-aligned so figures line up.
 */
public final class Table {
  private final String title;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Table(String title, String... header) {
    this.title = title;
    rows.add(header);
  }

  /** Adds a row; cells are rendered with {@link String#valueOf(Object)}. */
  public Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  /** Adds a line printed under the table. */
  public Table note(String note) {
    notes.add(note);
    return this;
  }

  public void print(PrintStream out) {
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    int total = 0;
    for (int w : width) {
      total += w + 2;
    }
    out.println();
    out.println(title);
    out.println("=".repeat(Math.max(title.length(), total - 2)));
    for (int n = 0; n < rows.size(); n++) {
      String[] r = rows.get(n);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        String fmt = i == 0 ? "%-" + width[i] + "s" : "  %" + width[i] + "s";
        line.append(String.format(fmt, r[i]));
      }
      out.println(line.toString().stripTrailing());
      if (n == 0) {
        out.println("-".repeat(Math.max(1, total - 2)));
      }
    }
    for (String note : notes) {
      out.println("  " + note);
    }
    out.flush();
  }

  /** Formats a double with the given number of decimals, locale-independent. */
  public static String fmt(double v, int decimals) {
    return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
  }
}
