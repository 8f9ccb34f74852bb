/**
 * The teacher side of Reason-to-Rank distillation: an LLM ranks candidate passages for a query and
 * explains the ranking, and the results are written in the JSONL format the trainer reads.
 *
 * <p>A typical pipeline composes small parts:
 *
 * <pre>{@code
 * OpenAiCompatibleTeacher llm = OpenAiCompatibleTeacher.builder()
 *     .baseUrl("http://localhost:8000/v1").model("Qwen/Qwen2.5-7B-Instruct").build();
 * try (JudgementStore cache = JudgementStore.open(Path.of("calls.jsonl"))) {
 *   Teacher teacher = new SlidingWindowTeacher(new CachingTeacher(llm, cache), 10, 5);
 *   TeacherLabeller.builder(teacher).build().label(inputs, Path.of("train.jsonl"));
 * }
 * }</pre>
 *
 * <p>{@link io.github.r2r.training.teacher.OpenAiCompatibleTeacher} talks to any server that speaks
 * the OpenAI chat-completions protocol; {@link io.github.r2r.training.teacher.SlidingWindowTeacher}
 * sorts lists longer than one prompt holds; {@link io.github.r2r.training.teacher.CachingTeacher}
 * makes every call durable so an interrupted run resumes without paying twice; {@link
 * io.github.r2r.training.teacher.TeacherLabeller} writes one training record per query.
 */
package io.github.r2r.training.teacher;
