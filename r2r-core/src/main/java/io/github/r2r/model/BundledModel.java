package io.github.r2r.model;

import ai.djl.Device;
import io.github.r2r.QueryFeedback;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model r2r uses when the caller names none: the distilled student shipped in r2r-core's resources
 * when present, otherwise the best zero-shot pretrained encoder (e5-small-v2, from its carrier jar).
 */
public final class BundledModel {
  /** Classpath folder of the shipped student: a model directory's files. */
  static final String RESOURCE_DIR = "/io/github/r2r/bundled-model/";

  /**
   * The query feedback a {@code Reranker} applies to the bundled model unless told otherwise: move
   * the query toward the mean of the 2 best candidates with weight 0.75. Chosen on TREC DL21 (the
   * best of 30 settings there, nDCG@10 0.6155 to 0.6278), then measured once on DL19 (0.6988 to
   * 0.7142); see docs/student.md. Re-tune it when the bundled model changes.
   */
  public static final QueryFeedback QUERY_FEEDBACK = QueryFeedback.rocchio(2, 0.75f);

  private BundledModel() {}

  /** True when a distilled student is shipped on the classpath. */
  public static boolean hasStudent() {
    return BundledModel.class.getResource(RESOURCE_DIR + RankingModel.CONFIG_FILE) != null;
  }

  public static RankingModel load(Device device) throws IOException {
    if (!hasStudent()) {
      return RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, device);
    }
    // Weights are memory-mapped from a file, so the resources are copied out of the jar once per load.
    Path dir = Files.createTempDirectory("r2r-bundled-model");
    try {
      for (String file :
          new String[] {RankingModel.CONFIG_FILE, RankingModel.TOKENIZER_FILE, RankingModel.WEIGHTS_FILE}) {
        try (InputStream in = BundledModel.class.getResourceAsStream(RESOURCE_DIR + file)) {
          if (in == null) {
            throw new IOException("bundled model is incomplete: " + RESOURCE_DIR + file + " is missing");
          }
          Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return RankingModel.load(dir, device);
    } finally {
      for (String file :
          new String[] {RankingModel.CONFIG_FILE, RankingModel.TOKENIZER_FILE, RankingModel.WEIGHTS_FILE}) {
        Files.deleteIfExists(dir.resolve(file));
      }
      Files.deleteIfExists(dir);
    }
  }
}
