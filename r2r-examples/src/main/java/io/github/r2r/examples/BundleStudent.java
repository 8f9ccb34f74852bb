package io.github.r2r.examples;

import ai.djl.Device;
import io.github.r2r.model.BundledModel;
import io.github.r2r.model.PretrainedEncoder;
import io.github.r2r.model.RankingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Writes a trained student (a model directory) in the form r2r-core ships as its bundled default
 * ({@link BundledModel}): the config, the model card and only the weights that differ from the
 * pretrained encoder it was trained from.
 *
 * <pre>
 * BundleStudent --model runs/bundled-student/model --base e5-small-v2 [--explainers e5-small-v2]
 *               --out r2r-core/src/main/resources/io/github/r2r/bundled-model
 * </pre>
 *
 * {@code --explainers} names the pretrained encoder whose shipped reason decoder and evidence head the
 * student explains with; give it only where they were measured with this student. {@code --out} must
 * not be the student's own directory.
 */
public final class BundleStudent {
  private static final String USAGE =
      "usage: BundleStudent --model DIR --base PRETRAINED_NAME [--explainers PRETRAINED_NAME] --out DIR";

  private BundleStudent() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, BundleStudent::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("model", "base", "explainers", "out"));
    Path modelDir = Path.of(cli.required("model"));
    PretrainedEncoder base = ModelOption.pretrainedByName(cli.required("base"));
    if (base == null) {
      throw new UsageException("--base must name a pretrained encoder, got " + cli.required("base"));
    }
    String explainers = cli.optional("explainers").orElse(null);
    if (explainers != null && ModelOption.pretrainedByName(explainers) == null) {
      throw new UsageException("--explainers must name a pretrained encoder, got " + explainers);
    }
    Path out = OutputDirectories.checked("out", Path.of(cli.required("out")));
    // The bundled form over the student's own directory would replace its full weights with the changed ones.
    OutputDirectories.refuseInput("out", out, "model", modelDir);
    try (RankingModel student = RankingModel.load(modelDir, Device.cpu())) {
      BundledModel.write(student, base, explainers, out,
          Files.readString(modelDir.resolve(RankingModel.CARD_FILE)));
    }
    System.out.println("bundled student written to " + out);
  }
}
