package io.github.r2r.training.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A reader of one training-data file format; several files of it read as one result. */
public interface TrainingFileReader {
  /**
   * Reads one file; malformed rows are handled as the reader was configured and reported.
   *
   * @param file the file
   * @return the queries read and the report of what was skipped
   * @throws IOException if the file cannot be read, or a malformed row is met under {@link
   *     MalformedRowPolicy#FAIL}
   */
  ReadResult read(Path file) throws IOException;

  /**
   * Reads several files, in order, as one result.
   *
   * @param files the files, at least one
   * @return the queries of every file, in order, and one combined report
   * @throws IOException as {@link #read} for any of the files
   * @throws IllegalArgumentException if {@code files} is empty
   */
  default ReadResult readAll(List<Path> files) throws IOException {
    List<ReadResult> results = new ArrayList<>();
    for (Path file : files) {
      results.add(read(file));
    }
    return ReadResult.concat(results);
  }
}
