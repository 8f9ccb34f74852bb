package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LabelWithTeacher's arguments; no teacher is ever called. */
class LabelWithTeacherTest {
  private static String[] args(Path dir, String... more) {
    List<String> args = new ArrayList<>(List.of("--base-url", "http://localhost:1/v1", "--model", "m",
        "--data", dir.resolve("no-such-folder").toString(), "--out", dir.resolve("out.jsonl").toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void aMisspeltOptionIsRejectedByName(@TempDir Path dir) {
    UsageException e = assertThrows(UsageException.class,
        () -> LabelWithTeacher.label(args(dir, "--concurency", "8"), System.err));
    assertEquals("unknown argument '--concurency'", e.getMessage());
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndSucceeds(@TempDir Path dir) throws Exception {
    assertTrue(LabelWithTeacher.USAGE.startsWith("Usage: LabelWithTeacher --base-url URL"));
    assertEquals(MainOutcome.usagePrinted(LabelWithTeacher.USAGE),
        MainOutcome.of(LabelWithTeacher.USAGE, args -> LabelWithTeacher.label(args, System.err), args(dir, "--help")));
  }

  @Test
  void aBadValueIsAUsageErrorThatNamesTheOption(@TempDir Path dir) {
    UsageException e = assertThrows(UsageException.class,
        () -> LabelWithTeacher.label(args(dir, "--top", "twenty"), System.err));
    assertEquals("--top must be an integer, got 'twenty'", e.getMessage());
    e = assertThrows(UsageException.class, () -> LabelWithTeacher.label(new String[] {"--model", "m"}, System.err));
    assertEquals("missing required argument --base-url", e.getMessage());
  }

  @Test
  void aMissingDataFolderIsAnErrorOfTheRunNotOfTheUsage(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int status = LabelWithTeacher.label(args(dir, "--no-json-mode"), new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String printed = console.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("error: missing ") && printed.contains("queries.tsv"), printed);
  }

  @Test
  void aCandidatesLineOfTheWrongShapeIsNamedByItsLineNumber(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("queries.tsv"), "q1\twhat is x\n");
    Files.writeString(data.resolve("candidates.jsonl"), "{\"qid\": \"q1\", \"candidates\": {}}\n");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    String[] args = {"--base-url", "http://localhost:1/v1", "--model", "m", "--data", data.toString(),
        "--out", dir.resolve("out.jsonl").toString()};

    int status = LabelWithTeacher.label(args, new PrintStream(console, true, StandardCharsets.UTF_8));

    assertEquals(2, status);
    String printed = console.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains(data.resolve("candidates.jsonl") + " line 1 is not a candidates record"), printed);
  }
}
