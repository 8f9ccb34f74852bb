package io.github.r2r.examples;

import ai.djl.Device;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.training.train.WeightInterpolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model directory whose weights interpolate a fine-tuned student with the model it started
 * from ({@link WeightInterpolation}, WiSE-FT):
 *
 * <pre>InterpolateWeights --start e5-small-v2 --tuned runs/student/model --alpha 0.5 --out runs/wise</pre>
 *
 * {@code --start} is a pretrained encoder's name or a model directory; the output has the tuned
 * model's config and tokenizer, fp16 weights, and its model card with a line saying how it was made.
 * {@code TrainStudent} does the same at the end of a run whose recipe sets {@code interpolateWithInit}.
 * {@code --alpha} must lie in [0, 1], and {@code --out} must be neither input's directory.
 */
public final class InterpolateWeights {
  private static final String USAGE =
      "usage: InterpolateWeights --start MODEL --tuned DIR --alpha A --out DIR";

  private InterpolateWeights() {}

  public static void main(String[] args) throws IOException {
    CommandLine.runMain(USAGE, args, InterpolateWeights::run);
  }

  /** The program on {@code args}: what {@link #main} runs, and what tests call. */
  static void run(String[] args) throws IOException {
    CommandLine cli = new CommandLine(args, Set.of("start", "tuned", "alpha", "out"));
    cli.required("alpha");
    double alpha = cli.doubleInRange("alpha", Double.NaN, 0, 1);
    Path tunedDir = Path.of(cli.required("tuned"));
    Path out = OutputDirectories.checked("out", Path.of(cli.required("out")));
    // Writing over an input would replace the weights it reads (the tuned model, in place, with exit status 0).
    OutputDirectories.refuseInput("out", out, "tuned", tunedDir);
    Path startDir = ModelOption.directory(cli.required("start"));
    if (startDir != null) {
      OutputDirectories.refuseInput("out", out, "start", startDir);
    }
    try (RankingModel start = ModelOption.load(cli.required("start"));
        RankingModel tuned = RankingModel.load(tunedDir, Device.cpu())) {
      String card = Files.readString(tunedDir.resolve(RankingModel.CARD_FILE)) + cardLine(alpha, cli.required("start"));
      write(start, tuned, alpha, out, card);
    }
    System.out.println("model written to " + out);
  }

  /** The line the model card gets: how the weights were mixed. */
  static String cardLine(double alpha, String start) {
    return String.format(Locale.ROOT,
        "- weights: %.2f × the fine-tuned weights + %.2f × %s's (WiSE-FT interpolation)%n", alpha, 1 - alpha, start);
  }

  /** Interpolates {@code start} toward {@code tuned} by {@code alpha} and saves the result (fp16). */
  static void write(RankingModel start, RankingModel tuned, double alpha, Path out, String card)
      throws IOException {
    if (!start.config().encoder().equals(tuned.config().encoder())) {
      throw new IllegalArgumentException(
          "the start and tuned models have different encoders: " + start.config().encoder() + " and "
              + tuned.config().encoder());
    }
    Map<String, Tensor> weights =
        WeightInterpolation.interpolate(start.exportWeights(), tuned.exportWeights(), alpha);
    try (RankingModel mixed =
        RankingModel.of(tuned.config(), tuned.tokenizerJson(), weights, Device.cpu())) {
      mixed.save(out, DType.F16, card);
    }
  }
}
