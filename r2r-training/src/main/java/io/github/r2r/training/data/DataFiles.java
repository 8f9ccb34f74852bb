package io.github.r2r.training.data;

import com.google.common.collect.ImmutableList;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the line-oriented data files of this package. */
final class DataFiles {
  private DataFiles() {}

  /** A non-blank line of a file and its 1-based number. */
  record NumberedLine(long number, String text) {}

  /** The non-blank lines of a UTF-8 file; blank lines hold no data and are not rows. */
  static List<NumberedLine> nonBlankLines(Path file) throws IOException {
    ImmutableList.Builder<NumberedLine> lines = ImmutableList.builder();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (!line.isBlank()) {
          lines.add(new NumberedLine(number, line));
        }
      }
    }
    return lines.build();
  }

  /**
   * The source name of a file: its folder and name ({@code
   * "gpt4-teacher/msmarco_train_100.jsonl"}), since the same file name occurs in several teacher
   * folders.
   */
  static String sourceName(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    return parent == null || parent.getFileName() == null
        ? String.valueOf(absolute.getFileName())
        : parent.getFileName() + "/" + absolute.getFileName();
  }
}
