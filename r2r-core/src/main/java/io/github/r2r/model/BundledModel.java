package io.github.r2r.model;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.Device;
import com.google.common.collect.ImmutableMap;
import io.github.r2r.QueryFeedback;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.MalformedWeightsException;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model r2r uses when the caller names none: the distilled student shipped in r2r-core's resources
 * when present, otherwise the best zero-shot pretrained encoder (e5-small-v2, from its carrier jar).
 *
 * <p>The student is stored as the pretrained encoder it was fine-tuned from plus the weights that
 * fine-tuning changed: its training leaves the embeddings and lower layers frozen, so shipping only
 * the changed tensors (fp16) keeps r2r-core two thirds smaller than a full copy, and the unchanged
 * ones come from the carrier jar in float32. The resource folder holds {@value #CONFIG_FILE} (the
 * student's config), {@value #WEIGHTS_FILE} (the changed tensors; its metadata names the base
 * encoder under {@value #BASE_KEY}) and the model card {@value #CARD_FILE}. {@link #write} makes it
 * from a model directory.
 */
public final class BundledModel {
  /** Classpath folder of the shipped student (a class loader's resource name). */
  static final String RESOURCE_DIR = "io/github/r2r/bundled-model/";

  static final String CONFIG_FILE = RankingModel.CONFIG_FILE;
  static final String CARD_FILE = RankingModel.CARD_FILE;
  /** The tensors that differ from the base encoder's. */
  static final String WEIGHTS_FILE = "student.safetensors";
  /** Metadata key of {@value #WEIGHTS_FILE}: the pretrained encoder the other weights come from. */
  static final String BASE_KEY = "r2r.base";
  /**
   * Metadata key of {@value #WEIGHTS_FILE}, optional: the pretrained encoder whose shipped reason
   * decoder and evidence head the student uses. Set only where they were measured with the student
   * (docs/student.md); without it the student has none.
   */
  static final String EXPLAINERS_KEY = "r2r.explainers";

  /**
   * The query feedback a {@code Reranker} applies to the bundled model unless told otherwise: move
   * the query toward the mean of the 2 best candidates with weight 0.75. Chosen on TREC DL21 for the
   * zero-shot e5-small-v2 (the best of 30 settings there, nDCG@10 0.6155 to 0.6278), and kept as it was
   * for the student; see docs/student.md.
   */
  public static final QueryFeedback QUERY_FEEDBACK = QueryFeedback.rocchio(2, 0.75f);

  private BundledModel() {}

  /** {@return true when a distilled student is shipped on the classpath} */
  public static boolean hasStudent() {
    return hasStudent(loader(), RESOURCE_DIR);
  }

  /**
   * Loads the bundled model: the shipped student, or e5-small-v2 zero-shot when none is shipped.
   *
   * @param device where to run; null for the first GPU if the engine has one, else the CPU
   * @return the model, to be closed by the caller
   * @throws IOException if the student's files are incomplete or malformed, or the base encoder's
   *     carrier jar is not on the classpath (the message names the Maven dependency)
   * @throws IllegalStateException if the PyTorch engine cannot start, or {@code device} is a GPU it does
   *     not see
   */
  public static RankingModel load(Device device) throws IOException {
    return load(loader(), RESOURCE_DIR, device);
  }

  /**
   * The pretrained encoder whose shipped reason decoder and evidence head the bundled model explains
   * with: the bundled student's choice (empty when it has none), or e5-small-v2 when no student is
   * shipped.
   *
   * @return the pretrained encoder's name, or empty when the student has no explainers
   * @throws IOException if the student's weights file is missing or cannot be read
   */
  public static Optional<String> explainers() throws IOException {
    Optional<String> known = classpathExplainers;
    if (known == null) {
      // Read once: the answer is in the weights file's header, and the file is 21 MB.
      known = explainers(loader(), RESOURCE_DIR);
      classpathExplainers = known;
    }
    return known;
  }

  /** {@link #explainers()} once read; null before. */
  private static volatile Optional<String> classpathExplainers;

  /**
   * The pretrained encoder whose shipped reason decoder and evidence head fit the model a {@code
   * Reranker} builds from these choices: none for a model directory (it carries its own), a pretrained
   * encoder's own, and for neither (the bundled model) {@link #explainers()}.
   *
   * @param modelDir the model directory asked for, or null
   * @param pretrained the pretrained encoder asked for, or null
   * @return the pretrained encoder's name, or empty when none fits
   * @throws IOException if both are null and the student's weights file cannot be read
   */
  public static Optional<String> explainersFor(Path modelDir, PretrainedEncoder pretrained) throws IOException {
    if (modelDir != null) {
      return Optional.empty();
    }
    return pretrained != null ? Optional.of(pretrained.modelName()) : explainers();
  }

  static boolean hasStudent(ClassLoader loader, String folder) {
    return loader.getResource(folder + CONFIG_FILE) != null;
  }

  static RankingModel load(ClassLoader loader, String folder, Device device) throws IOException {
    if (!hasStudent(loader, folder)) {
      return RankingModel.pretrained(PretrainedEncoder.E5_SMALL_V2, device);
    }
    ModelConfig config;
    try (InputStream in = resource(loader, folder, CONFIG_FILE)) {
      config = RankingModel.parseConfig(
          new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled model: " + folder + CONFIG_FILE);
    }
    SafeTensors changed = weights(loader, folder);
    return RankingModel.pretrained(base(changed, folder), config, changed.tensors(), device);
  }

  static Optional<String> explainers(ClassLoader loader, String folder) throws IOException {
    if (!hasStudent(loader, folder)) {
      return Optional.of(PretrainedEncoder.E5_SMALL_V2.modelName());
    }
    return Optional.ofNullable(weights(loader, folder).metadata().get(EXPLAINERS_KEY));
  }

  /**
   * Writes {@code student} in the bundled form into {@code dir}: its config, the model card, and the
   * tensors whose fp16 values differ from {@code base}'s (stored fp16).
   *
   * @param student the fine-tuned model
   * @param base the pretrained encoder it was fine-tuned from; its carrier jar must be on the classpath
   * @param explainers the pretrained encoder whose shipped decoder and evidence head the student
   *     uses, or null for none
   * @param dir the directory, created if missing; files of the same names are replaced
   * @param modelCard the text of the model card
   * @throws IllegalArgumentException when the student is not a bi-encoder with {@code base}'s encoder
   *     shape, or when it changed no weight at all
   * @throws IOException if {@code base} cannot be loaded or a file cannot be written
   */
  public static void write(
      RankingModel student, PretrainedEncoder base, String explainers, Path dir, String modelCard)
      throws IOException {
    checkArgument(
        student.config().scoring() == ScoringMode.BI_ENCODER,
        "only a bi-encoder student is bundled as changes to a pretrained encoder; '%s' is a %s",
        student.config().name(),
        student.config().scoring());
    checkArgument(
        student.config().encoder().equals(base.config().encoder()),
        "student '%s' does not have %s's encoder shape", student.config().name(), base.modelName());
    Map<String, Tensor> changed = new LinkedHashMap<>();
    try (RankingModel pretrained = RankingModel.pretrained(base, Device.cpu())) {
      Map<String, Tensor> original = pretrained.exportWeights();
      for (Map.Entry<String, Tensor> e : student.exportWeights().entrySet()) {
        float[] mine = e.getValue().toFloatType(DType.F16).toFloatArray();
        float[] theirs = original.get(e.getKey()).toFloatType(DType.F16).toFloatArray();
        if (!Arrays.equals(mine, theirs)) {
          changed.put(e.getKey(), e.getValue());
        }
      }
    }
    checkArgument(!changed.isEmpty(), "student '%s' has %s's weights: nothing to bundle",
        student.config().name(), base.modelName());
    ImmutableMap.Builder<String, String> metadata =
        ImmutableMap.<String, String>builder().put("format", "pt").put(BASE_KEY, base.modelName());
    if (explainers != null) {
      metadata.put(EXPLAINERS_KEY, explainers);
    }
    student.writeConfigAndCard(dir, modelCard);
    SafeTensors.writeAs(dir.resolve(WEIGHTS_FILE), changed, metadata.build(), DType.F16);
  }

  private static PretrainedEncoder base(SafeTensors changed, String folder) throws MalformedWeightsException {
    String name = changed.metadata().get(BASE_KEY);
    for (PretrainedEncoder e : PretrainedEncoder.values()) {
      if (e.modelName().equals(name)) {
        return e;
      }
    }
    throw new MalformedWeightsException("bundled model: " + folder + WEIGHTS_FILE
        + " names no known base encoder under metadata key " + BASE_KEY + " (found: " + name + ")");
  }

  private static SafeTensors weights(ClassLoader loader, String folder) throws IOException {
    if (loader.getResource(folder + WEIGHTS_FILE) == null) {
      throw new IOException("bundled model is incomplete: " + folder + WEIGHTS_FILE + " is missing");
    }
    return SafeTensors.readResource(loader, folder + WEIGHTS_FILE);
  }

  private static InputStream resource(ClassLoader loader, String folder, String file) throws IOException {
    InputStream in = loader.getResourceAsStream(folder + file);
    if (in == null) {
      throw new IOException("bundled model is incomplete: " + folder + file + " is missing");
    }
    return in;
  }

  private static ClassLoader loader() {
    return BundledModel.class.getClassLoader();
  }
}
