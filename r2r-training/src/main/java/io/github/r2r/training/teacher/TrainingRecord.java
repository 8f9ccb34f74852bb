package io.github.r2r.training.teacher;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Turns a teacher judgement into one line of the Reason-to-Rank JSONL that the trainer reads (the
 * format of {@code r2r-teacher/train-msmarco-500.jsonl}).
 *
 * <p>Fields: {@code query}, {@code qid}, {@code sorted_docids} (passage ids, teacher order), {@code
 * re_rank_id} (1-based input positions, teacher order), {@code unsorted_docs} (passage texts, input
 * order, untruncated), {@code reason.ranked_passages} (teacher order: {@code identifier} = 1-based
 * input position, {@code direct_reason}, {@code listwise_reason}, {@code direct_answer_sentence})
 * and {@code scores}: one {@code ""} per passage in input order, because in that format {@code
 * scores} carries relevance labels and a teacher run has none; an empty string reads as "unknown",
 * never as a label.
 *
 * <p>Provenance, ignored by readers of the original format: {@code teacher_model}, {@code
 * prompt_version}, {@code teacher_calls} (windows), {@code usage}, {@code repaired_missing} (how
 * many times a left-out passage was appended) and {@code repaired_identifiers} (passages whose
 * place and empty reasons come from repair, not from the teacher).
 */
public final class TrainingRecord {
  private TrainingRecord() {}

  /**
   * The training record of one labelled query, in the format described above.
   *
   * @param input the query and its passages, as given to the teacher
   * @param judgement the teacher's judgement of those passages
   * @param promptVersion the prompt's version, recorded as {@code prompt_version}
   * @return the record, one JSONL line's object
   * @throws IllegalArgumentException if {@code judgement} ranks another number of passages than
   *     {@code input} has
   */
  public static JsonObject toJson(
      LabellingInput input, TeacherJudgement judgement, String promptVersion) {
    checkArgument(
        judgement.size() == input.passages().size(),
        "judgement of %s ranks %s passages but the query has %s",
        input.qid(),
        judgement.size(),
        input.passages().size());
    JsonObject record = new JsonObject();
    record.addProperty("query", input.query());
    record.addProperty("qid", input.qid());
    JsonArray sortedDocids = new JsonArray();
    JsonArray reRankId = new JsonArray();
    JsonArray rankedPassages = new JsonArray();
    JsonArray repairedIdentifiers = new JsonArray();
    for (RankedPassage passage : judgement.ranking()) {
      int identifier = passage.inputIndex() + 1;
      sortedDocids.add(input.passages().get(passage.inputIndex()).id());
      reRankId.add(identifier);
      JsonObject reason = new JsonObject();
      reason.addProperty("identifier", identifier);
      reason.addProperty("direct_reason", passage.directReason());
      reason.addProperty("listwise_reason", passage.listwiseReason());
      reason.addProperty("direct_answer_sentence", passage.answerSentence());
      rankedPassages.add(reason);
      if (passage.repaired()) {
        repairedIdentifiers.add(identifier);
      }
    }
    record.add("sorted_docids", sortedDocids);
    record.add("re_rank_id", reRankId);
    JsonArray unsortedDocs = new JsonArray();
    JsonArray scores = new JsonArray();
    for (Passage passage : input.passages()) {
      unsortedDocs.add(passage.text());
      scores.add("");
    }
    record.add("unsorted_docs", unsortedDocs);
    JsonObject reason = new JsonObject();
    reason.add("ranked_passages", rankedPassages);
    record.add("reason", reason);
    record.add("scores", scores);
    record.addProperty("teacher_model", judgement.model());
    record.addProperty("prompt_version", promptVersion);
    record.addProperty("teacher_calls", judgement.rawResponses().size());
    record.add("usage", JudgementCodec.usageToJson(judgement.usage()));
    record.addProperty("repaired_missing", judgement.repairedMissing());
    record.add("repaired_identifiers", repairedIdentifiers);
    return record;
  }
}
