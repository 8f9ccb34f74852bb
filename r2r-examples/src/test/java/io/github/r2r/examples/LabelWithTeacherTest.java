package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.io.IOException;
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

  @Test
  void countsAreRangeCheckedByNameBeforeTheDataIsRead(@TempDir Path dir) throws Exception {
    // The data folder does not exist: each error comes before it is read, and nothing is written.
    for (List<String> bad : List.of(
        List.of("--top", "0", "--top must be positive, got 0"),
        List.of("--max-queries", "-1", "--max-queries must be positive, got -1"),
        List.of("--max-queries", "0", "--max-queries must be positive, got 0"),
        List.of("--window", "1", "--window must be at least 2, got 1"),
        List.of("--step", "10", "--step must be in [1, 9], got 10"),
        List.of("--words", "0", "--words must be positive, got 0"),
        List.of("--concurrency", "0", "--concurrency must be positive, got 0"),
        List.of("--rpm", "-1", "--rpm must be zero or more, got -1"),
        List.of("--timeout-s", "0", "--timeout-s must be positive, got 0"),
        List.of("--max-tokens", "0", "--max-tokens must be positive, got 0"),
        List.of("--price-in", "-1", "--price-in must be zero or more, got -1.0"),
        List.of("--price-out", "-0.5", "--price-out must be zero or more, got -0.5"))) {
      UsageException e = assertThrows(UsageException.class,
          () -> LabelWithTeacher.label(args(dir, bad.get(0), bad.get(1)), System.err));
      assertEquals(bad.get(2), e.getMessage());
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "no output or cache file created");
    }
  }

  @Test
  void aSmallWindowGetsAStepThatFitsIt(@TempDir Path dir) throws Exception {
    // --window 3 without --step: the default step 5 would not fit, so it becomes 2; the run then stops at the data.
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int status = LabelWithTeacher.label(args(dir, "--window", "3"), new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(console.toString(StandardCharsets.UTF_8).startsWith("error: missing "), console.toString());
  }

  @Test
  void theOutputFilesAreCheckedBeforeTheDataIsRead(@TempDir Path dir) throws IOException {
    Path missing = Files.writeString(dir.resolve("missing"), "a file, not a directory").resolve("out.jsonl");
    String[] args = {"--base-url", "http://localhost:1/v1", "--model", "m", "--data", dir.toString(),
        "--out", missing.toString()};
    UsageException out = assertThrows(UsageException.class, () -> LabelWithTeacher.label(args, System.err));
    assertTrue(out.getMessage().startsWith("--out " + missing + ": " + dir.resolve("missing") + " is not a directory"), out.getMessage());
    UsageException cache = assertThrows(UsageException.class,
        () -> LabelWithTeacher.label(args(dir, "--cache", missing.toString()), System.err));
    assertTrue(cache.getMessage().startsWith("--cache " + missing + ": " + dir.resolve("missing") + " is not a directory"), cache.getMessage());
  }

  @Test
  void aUrlTheTeacherRefusesIsReportedBeforeTheDataIsRead(@TempDir Path dir) throws Exception {
    String[] args = args(dir);
    args[1] = "localhost:8000"; // no scheme
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    int status = LabelWithTeacher.label(args, new PrintStream(console, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String printed = console.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith("error: baseUrl"), "not the missing data folder: " + printed);
  }
}
