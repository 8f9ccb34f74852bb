package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every teacher judgement ever paid for, in an append-only JSONL file, keyed by (model, prompt
 * version, query, ordered passages).
 *
 * <p>Each {@link #put} is forced to disk before it returns, so a run killed at any moment loses at
 * most the call in flight; a half-written last line is detected and dropped on {@link #open}. The
 * passage order is part of the key because teachers are sensitive to it: the same passages in
 * another order are another question. One run at a time may hold a store (file lock).
 *
 * <p>Each line holds {@code key}, {@code model}, {@code prompt_version}, {@code query}, {@code
 * docids}, {@code created}, {@code answer_settings} (only when not empty) and the {@code judgement} (1-based identifiers, reasons, a {@code
 * repaired} flag per passage, {@code usage}, {@code raw_responses}, {@code repaired_missing}).
 */
public final class JudgementStore implements Closeable {
  private static final System.Logger LOG = System.getLogger(JudgementStore.class.getName());

  private final AppendOnlyJsonlFile file;
  private final Map<String, TeacherJudgement> judgements = new ConcurrentHashMap<>();

  private JudgementStore(AppendOnlyJsonlFile file) {
    this.file = file;
  }

  /**
   * Opens (creating if needed) the store at {@code path}.
   *
   * @param path the JSONL file; it and its parent directories are created if absent
   * @return the store, holding the file's lock until {@link #close}
   * @throws IOException if the file cannot be read, is locked by another run, or holds a line that
   *     is not a stored judgement anywhere but at its very end
   */
  public static JudgementStore open(Path path) throws IOException {
    AppendOnlyJsonlFile file = AppendOnlyJsonlFile.open(path);
    JudgementStore store = new JudgementStore(file);
    int line = 0;
    try {
      for (JsonObject record : file.existing()) {
        line++;
        for (String field : List.of("key", "judgement")) {
          if (!record.has(field)) {
            throw new IllegalArgumentException("it has no '" + field + "' field");
          }
        }
        String key = record.get("key").getAsString();
        store.judgements.putIfAbsent(
            key, JudgementCodec.fromJson(record.getAsJsonObject("judgement")));
      }
    } catch (RuntimeException e) {
      file.close();
      // Records are the file's non-blank lines: as appends write it (no blank lines), record N is line N.
      throw new IOException(path + " record " + line + " is not a stored judgement: " + e.getMessage(), e);
    }
    if (file.discardedPartialLines() > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: dropped an incomplete last line left by an interrupted run",
          path);
    }
    return store;
  }

  /**
   * {@link #key(String, String, String, String, List)} of a teacher without answer settings.
   *
   * @param model the teacher's model name
   * @param promptVersion the prompt template's version
   * @param query the query text
   * @param passages the passages, in the order the teacher saw them
   * @return the key, 64 lower-case hex digits
   */
  public static String key(
      String model, String promptVersion, String query, List<Passage> passages) {
    return key(model, promptVersion, "", query, passages);
  }

  /**
   * The cache key of a judgement: a SHA-256 over the model, prompt version, answer settings ({@link
   * Teacher#answerSettings()}), query and each passage's id and text, in order, each length-prefixed
   * so no two inputs collide by concatenation. Empty answer settings are left out of the hash, so keys
   * written before they existed still match.
   *
   * @param model the teacher's model name
   * @param promptVersion the prompt template's version
   * @param answerSettings the teacher's answer settings, or {@code ""} for none
   * @param query the query text
   * @param passages the passages, in the order the teacher saw them
   * @return the key, 64 lower-case hex digits
   */
  public static String key(
      String model, String promptVersion, String answerSettings, String query, List<Passage> passages) {
    Hasher hasher = Hashing.sha256().newHasher();
    putField(hasher, model);
    putField(hasher, promptVersion);
    if (!answerSettings.isEmpty()) {
      // No field's length is -1: the marker keeps a key with settings from ever equalling a key
      // without them.
      hasher.putInt(-1);
      putField(hasher, answerSettings);
    }
    putField(hasher, query);
    hasher.putInt(passages.size());
    for (Passage passage : passages) {
      putField(hasher, passage.id());
      putField(hasher, passage.text());
    }
    return hasher.hash().toString();
  }

  private static void putField(Hasher hasher, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    hasher.putInt(bytes.length).putBytes(bytes);
  }

  /**
   * Looks a judgement up by its {@link #key}.
   *
   * @param key the key
   * @return the judgement stored under {@code key}, or empty if there is none
   */
  public Optional<TeacherJudgement> find(String key) {
    return Optional.ofNullable(judgements.get(key));
  }

  /**
   * Records {@code judgement} under its key, on disk, before returning. A key already present keeps
   * its first judgement.
   *
   * @param model the teacher's model name
   * @param promptVersion the prompt template's version
   * @param query the query text
   * @param passages the passages, in the order the teacher saw them
   * @param judgement the teacher's judgement of exactly {@code passages.size()} passages
   * @throws IllegalArgumentException if {@code judgement} ranks another number of passages
   * @throws IOException if the record cannot be written and forced to disk
   */
  public void put(
      String model,
      String promptVersion,
      String query,
      List<Passage> passages,
      TeacherJudgement judgement)
      throws IOException {
    put(model, promptVersion, "", query, passages, judgement);
  }

  /**
   * Records {@code judgement}, given under {@code answerSettings}, under its key, on disk, before
   * returning. A key already present keeps its first judgement.
   *
   * @param model the teacher's model name
   * @param promptVersion the prompt template's version
   * @param answerSettings the teacher's answer settings, or {@code ""} for none
   * @param query the query text
   * @param passages the passages, in the order the teacher saw them
   * @param judgement the teacher's judgement of exactly {@code passages.size()} passages
   * @throws IllegalArgumentException if {@code judgement} ranks another number of passages
   * @throws IOException if the record cannot be written and forced to disk
   */
  public void put(
      String model,
      String promptVersion,
      String answerSettings,
      String query,
      List<Passage> passages,
      TeacherJudgement judgement)
      throws IOException {
    checkArgument(
        judgement.size() == passages.size(),
        "judgement ranks %s passages but %s were given",
        judgement.size(),
        passages.size());
    String key = key(model, promptVersion, answerSettings, query, passages);
    synchronized (this) {
      if (judgements.containsKey(key)) {
        return;
      }
      JsonObject record = new JsonObject();
      record.addProperty("key", key);
      record.addProperty("model", model);
      record.addProperty("prompt_version", promptVersion);
      if (!answerSettings.isEmpty()) {
        record.addProperty("answer_settings", answerSettings);
      }
      record.addProperty("query", query);
      JsonArray docids = new JsonArray();
      passages.forEach(p -> docids.add(p.id()));
      record.add("docids", docids);
      record.addProperty("created", Instant.now().toString());
      record.add("judgement", JudgementCodec.toJson(judgement));
      file.append(record);
      judgements.put(key, judgement);
    }
  }

  /** {@return the number of distinct judgements stored} */
  public int size() {
    return judgements.size();
  }

  /** {@return 1 if an incomplete last line was dropped when the store was opened, else 0} */
  public int discardedPartialLines() {
    return file.discardedPartialLines();
  }

  /** {@return the store's JSONL file} */
  public Path path() {
    return file.path();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return "JudgementStore{" + file.path() + ", " + judgements.size() + " judgements}";
  }
}
