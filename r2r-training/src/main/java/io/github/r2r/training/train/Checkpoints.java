package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import io.github.r2r.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The on-disk state of a run under its work directory: {@code checkpoint/} (fp32 weights, optimizer
 * moments, learnable loss weights, {@code state.json}) written to a temporary folder and renamed into
 * place, so a crash mid-write leaves the previous checkpoint intact; and {@code best/}, the model
 * directory of the best dev score.
 *
 * <p>{@code state.json} also holds the run's trainer configuration: resuming under another one would
 * silently mix two runs (or, with fewer steps than the checkpoint's, return without training), so it
 * is refused. Every file of a checkpoint is forced to the disk before the folder is renamed into
 * place, so that a crash of the machine cannot leave a checkpoint whose files are empty.
 */
final class Checkpoints {
  private static final String WEIGHTS = "weights.safetensors";
  private static final String OPTIMIZER = "optimizer.safetensors";
  private static final String LOSS_WEIGHTS = "loss-weights.safetensors";
  private static final String STATE = "state.json";
  /** The key of the trainer configuration in {@link #STATE}. */
  private static final String CONFIG = "config";
  /** The key of {@link TrainerState#extraLossTerms} in {@link #STATE}; absent in older checkpoints. */
  private static final String EXTRA_LOSS_TERMS = "extra_loss_terms";
  /** The key of the configured loss components left out ({@link ExtraLossTerms#omitted}); absent in older checkpoints. */
  private static final String OMITTED_LOSS_COMPONENTS = "omitted_loss_components";

  private final Path dir;
  private final JsonObject config;

  /**
   * @param configJson the run's trainer configuration as a JSON object ({@code toJson()} of the
   *     trainer's config): saved with every checkpoint and compared on resuming
   */
  Checkpoints(Path workDir, String configJson) {
    this.dir = workDir;
    this.config = JsonParser.parseString(configJson).getAsJsonObject();
  }

  Path bestDir() {
    return dir.resolve("best");
  }

  void save(RankingModel model, AdamW optimizer, List<NDArray> lossWeights, TrainerState state)
      throws IOException {
    save(model.exportWeights(), optimizer, lossWeights, state);
  }

  /** Saves any model's weights (by name) with the optimizer and progress; see the RankingModel overload. */
  void save(Map<String, Tensor> modelWeights, AdamW optimizer, List<NDArray> lossWeights, TrainerState state)
      throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("checkpoint.tmp");
    deleteRecursively(tmp);
    Files.createDirectories(tmp);
    // Each file below is forced to the disk as it is written (SafeTensors.write and AtomicFiles).
    SafeTensors.write(tmp.resolve(WEIGHTS), modelWeights, Map.of());
    SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.exportState(), Map.of());
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (int i = 0; i < lossWeights.size(); i++) {
      NDArray w = lossWeights.get(i);
      weights.put("w" + i, Tensor.ofFloats("w" + i, w.getShape().getShape(), w.toFloatArray()));
    }
    SafeTensors.write(tmp.resolve(LOSS_WEIGHTS), weights, Map.of());
    JsonObject json = new JsonObject();
    json.addProperty("step", state.step());
    json.addProperty("best_score", Double.isFinite(state.bestScore()) ? state.bestScore() : null);
    json.addProperty("best_step", state.bestStep());
    json.addProperty("skipped_steps", state.skippedSteps());
    json.addProperty("optimizer_steps", optimizer.steps());
    json.add(EXTRA_LOSS_TERMS, state.extraLossTerms().toJson());
    json.add(OMITTED_LOSS_COMPONENTS, state.extraLossTerms().omittedToJson());
    json.add(CONFIG, config.deepCopy());
    AtomicFiles.writeString(tmp.resolve(STATE), json.toString());
    Path target = dir.resolve("checkpoint");
    Path old = dir.resolve("checkpoint.old");
    deleteRecursively(old);
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(old);
  }

  /** Restores the last checkpoint into the model and optimizer, if one exists. */
  Optional<TrainerState> resume(RankingModel model, AdamW optimizer, List<NDArray> lossWeights)
      throws IOException {
    return resume(
        (weights, source) -> {
          for (Map.Entry<String, HfBlock> block : model.blocks().entrySet()) {
            WeightStore.load(block.getValue(), block.getKey(), weights, model.manager(), source);
          }
        },
        model.manager(),
        optimizer,
        lossWeights);
  }

  /** Restores a checkpoint's weights into a model. */
  interface WeightsLoader {
    void load(Map<String, Tensor> weights, String source) throws IOException;
  }

  /**
   * Restores the last checkpoint through {@code loader}, if one exists; see the RankingModel overload.
   *
   * @throws IllegalStateException if the checkpoint was saved under another trainer configuration
   *     (nothing is restored then)
   * @throws IOException naming {@code state.json} if it does not parse
   */
  Optional<TrainerState> resume(
      WeightsLoader loader, NDManager manager, AdamW optimizer, List<NDArray> lossWeights) throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    Path old = dir.resolve("checkpoint.old");
    if (!Files.isDirectory(checkpoint) && Files.isDirectory(old)) {
      // Crashed between the two renames of a save: the previous checkpoint goes back in place, since
      // the next save deletes checkpoint.old before it renames its own folder into place.
      Files.move(old, checkpoint, StandardCopyOption.ATOMIC_MOVE);
    }
    if (!Files.isRegularFile(checkpoint.resolve(STATE))) {
      return Optional.empty();
    }
    SavedState state = readState(checkpoint.resolve(STATE));
    checkSameConfig(state.config());
    Map<String, Tensor> weights = SafeTensors.read(checkpoint.resolve(WEIGHTS)).tensors();
    loader.load(weights, checkpoint.resolve(WEIGHTS).toString());
    optimizer.importState(SafeTensors.read(checkpoint.resolve(OPTIMIZER)).tensors(), state.optimizerSteps(), manager);
    Map<String, Tensor> saved = SafeTensors.read(checkpoint.resolve(LOSS_WEIGHTS)).tensors();
    for (int i = 0; i < lossWeights.size(); i++) {
      Tensor t = saved.get("w" + i);
      if (t == null) {
        throw new IOException(checkpoint + " has no learnable loss weight w" + i + ": the loss changed since it was written");
      }
      lossWeights.get(i).set(t.toFloatArray());
    }
    return Optional.of(state.state());
  }

  /**
   * Refuses, as {@link #resume} would, a checkpoint saved under another trainer configuration, reading
   * only its {@code state.json}: a program checks this before it writes anything of a run that would
   * then be refused. Nothing is moved or restored.
   *
   * @throws IllegalStateException if the checkpoint was saved under another trainer configuration
   * @throws IOException naming {@code state.json} if it does not parse
   */
  void checkResumable() throws IOException {
    Path checkpoint = dir.resolve("checkpoint");
    if (!Files.isDirectory(checkpoint)) {
      checkpoint = dir.resolve("checkpoint.old"); // what resume() puts back in place
    }
    if (Files.isRegularFile(checkpoint.resolve(STATE))) {
      checkSameConfig(readState(checkpoint.resolve(STATE)).config());
    }
  }

  /**
   * What {@code state.json} holds.
   *
   * @param config the trainer configuration, or null in a checkpoint written before it was saved
   */
  private record SavedState(TrainerState state, long optimizerSteps, JsonObject config) {}

  private static SavedState readState(Path file) throws IOException {
    try {
      JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      JsonElement bestScore = required(json, "best_score", file);
      TrainerState state =
          new TrainerState(
              required(json, "step", file).getAsInt(),
              bestScore.isJsonNull() ? Double.NEGATIVE_INFINITY : bestScore.getAsDouble(),
              required(json, "best_step", file).getAsInt(),
              required(json, "skipped_steps", file).getAsInt(),
              extraLossTerms(json.get(EXTRA_LOSS_TERMS), json.get(OMITTED_LOSS_COMPONENTS)));
      JsonElement config = json.get(CONFIG);
      return new SavedState(
          state, required(json, "optimizer_steps", file).getAsLong(), config == null ? null : config.getAsJsonObject());
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | CharacterCodingException e) {
      throw new IOException(
          "checkpoint state " + file + " is unreadable (" + e.getMessage() + "); delete its checkpoint folder to"
              + " start the run again",
          e);
    }
  }

  /** A checkpoint written before the terms were saved has none: its run's card lists only later steps' terms. */
  private static ExtraLossTerms extraLossTerms(JsonElement saved, JsonElement savedOmitted) {
    return saved == null
        ? ExtraLossTerms.NOT_RECORDED
        : ExtraLossTerms.fromJson(saved.getAsJsonObject(), savedOmitted == null ? null : savedOmitted.getAsJsonObject());
  }

  private static JsonElement required(JsonObject json, String key, Path file) throws IOException {
    JsonElement value = json.get(key);
    if (value == null) {
      throw new IOException("checkpoint state " + file + " has no '" + key + "'");
    }
    return value;
  }

  /** Refuses to resume a checkpoint saved under another configuration, naming every key that differs. */
  private void checkSameConfig(JsonObject saved) {
    if (saved == null) {
      return; // saved before checkpoints held their configuration: there is nothing to compare
    }
    Set<String> keys = new LinkedHashSet<>(config.keySet());
    keys.addAll(saved.keySet());
    List<String> differences = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(saved.get(key), config.get(key))) {
        differences.add(key + " (checkpoint " + saved.get(key) + ", now " + config.get(key) + ")");
      }
    }
    if (!differences.isEmpty()) {
      throw new IllegalStateException(
          "the checkpoint in " + dir + " was saved under another trainer config, differing in "
              + String.join(", ", differences) + ": resuming would mix two runs. Resume with the checkpoint's"
              + " config, or train in a new work directory");
    }
  }

  void saveBest(RankingModel model, String card) throws IOException {
    Path tmp = dir.resolve("best.tmp");
    deleteRecursively(tmp);
    model.save(tmp, DType.F32, card);
    deleteRecursively(bestDir());
    Files.move(tmp, bestDir(), StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
