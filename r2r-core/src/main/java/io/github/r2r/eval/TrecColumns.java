package io.github.r2r.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Reads the whitespace-separated files of trec_eval (qrels, runs): blank lines are skipped, every
 * other line must have exactly the expected columns, and a (query, document) pair may appear once.
 * Errors name the file and line.
 */
final class TrecColumns {
  /** Receives one line's columns; throws {@link DataFormatException} for a bad value. */
  interface LineHandler {
    void accept(String[] fields, long lineNumber) throws DataFormatException;
  }

  private TrecColumns() {}

  /**
   * Calls {@code handler} for each non-blank line of {@code file}.
   *
   * @param layout the expected columns, for the error message (e.g. {@code "qid Q0 docid rank score tag"})
   * @param duplicate describes a repeated (query, document) pair: gets the query id and document id
   *     taken from columns 0 and 2
   */
  static void read(
      Path file,
      String layout,
      BinaryOperator<String> duplicate,
      LineHandler handler)
      throws IOException {
    int columns = layout.split(" ").length;
    Map<String, Long> firstLine = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length != columns) {
          throw DataFormatException.atLine(
              file,
              lineNumber,
              "expected " + columns + " fields '" + layout + "' but found " + fields.length + ": '"
                  + trimmed + "'");
        }
        Long previous = firstLine.putIfAbsent(fields[0] + ' ' + fields[2], lineNumber);
        if (previous != null) {
          throw DataFormatException.atLine(
              file,
              lineNumber,
              duplicate.apply(fields[0], fields[2]) + " (first at line " + previous + ")");
        }
        handler.accept(fields, lineNumber);
      }
    }
  }
}
