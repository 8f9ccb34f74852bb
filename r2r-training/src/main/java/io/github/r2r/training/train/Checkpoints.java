package io.github.r2r.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.r2r.model.HfBlock;
import io.github.r2r.model.RankingModel;
import io.github.r2r.model.WeightStore;
import io.github.r2r.model.io.DType;
import io.github.r2r.model.io.SafeTensors;
import io.github.r2r.model.io.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The on-disk state of a run under its work directory: {@code checkpoint/} (fp32 weights, optimizer
 * moments, learnable loss weights, {@code state.json}) written to a temporary folder and renamed into
 * place, so a crash mid-write leaves the previous checkpoint intact; and {@code best/}, the model
 * directory of the best dev score.
 */
final class Checkpoints {
  private static final String WEIGHTS = "weights.safetensors";
  private static final String OPTIMIZER = "optimizer.safetensors";
  private static final String LOSS_WEIGHTS = "loss-weights.safetensors";
  private static final String STATE = "state.json";

  private final Path dir;

  Checkpoints(Path workDir) {
    this.dir = workDir;
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
    Files.writeString(tmp.resolve(STATE), json.toString(), StandardCharsets.UTF_8);
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

  /** Restores the last checkpoint through {@code loader}, if one exists; see the RankingModel overload. */
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
    JsonObject json = JsonParser.parseString(Files.readString(checkpoint.resolve(STATE))).getAsJsonObject();
    Map<String, Tensor> weights = SafeTensors.read(checkpoint.resolve(WEIGHTS)).tensors();
    loader.load(weights, checkpoint.resolve(WEIGHTS).toString());
    optimizer.importState(
        SafeTensors.read(checkpoint.resolve(OPTIMIZER)).tensors(), json.get("optimizer_steps").getAsLong(), manager);
    Map<String, Tensor> saved = SafeTensors.read(checkpoint.resolve(LOSS_WEIGHTS)).tensors();
    for (int i = 0; i < lossWeights.size(); i++) {
      Tensor t = saved.get("w" + i);
      if (t == null) {
        throw new IOException(checkpoint + " has no learnable loss weight w" + i + ": the loss changed since it was written");
      }
      lossWeights.get(i).set(t.toFloatArray());
    }
    return Optional.of(
        new TrainerState(
            json.get("step").getAsInt(),
            json.get("best_score").isJsonNull()
                ? Double.NEGATIVE_INFINITY
                : json.get("best_score").getAsDouble(),
            json.get("best_step").getAsInt(),
            json.get("skipped_steps").getAsInt()));
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
