package io.github.r2r.training.train;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/** Appends one JSON object per line (steps and events) to the run's log; a resumed run appends. */
final class TrainingLog {
  private final Path file;

  TrainingLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
  }

  /** @param nonFiniteIn null for an applied step; else what was non-finite (the step was skipped) */
  void step(int step, float loss, Map<String, Float> components, float learningRate, float gradNorm, String nonFiniteIn) {
    JsonObject json = new JsonObject();
    json.addProperty("step", step);
    json.addProperty("loss", Float.isFinite(loss) ? loss : null);
    JsonObject parts = new JsonObject();
    components.forEach((k, v) -> parts.addProperty(k, Float.isFinite(v) ? v : null));
    json.add("components", parts);
    json.addProperty("lr", learningRate);
    json.addProperty("grad_norm", Float.isFinite(gradNorm) ? gradNorm : null);
    json.addProperty("applied", nonFiniteIn == null);
    if (nonFiniteIn != null) {
      json.addProperty("non_finite", nonFiniteIn);
    }
    write(json);
  }

  void event(String name, Map<String, ? extends Number> values) {
    JsonObject json = new JsonObject();
    json.addProperty("event", name);
    values.forEach(json::addProperty);
    write(json);
  }

  private void write(JsonObject json) {
    json.addProperty("time", Instant.now().toString());
    try {
      Files.writeString(
          file, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to training log " + file, e);
    }
  }
}
