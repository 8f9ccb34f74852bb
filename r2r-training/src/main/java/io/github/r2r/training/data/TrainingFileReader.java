package io.github.r2r.training.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A reader of one training-data file format; several files of it read as one result. */
public interface TrainingFileReader {
  /** Reads one file; malformed rows are handled as the reader was configured and reported. */
  ReadResult read(Path file) throws IOException;

  /** Reads several files, in order, as one result. */
  default ReadResult readAll(List<Path> files) throws IOException {
    List<ReadResult> results = new ArrayList<>();
    for (Path file : files) {
      results.add(read(file));
    }
    return ReadResult.concat(results);
  }
}
