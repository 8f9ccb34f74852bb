package io.github.r2r.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  private static final String USAGE = "usage: Test --name VALUE [--count N]";

  private static CommandLine cli(String... args) {
    return new CommandLine(args, Set.of("name", "count", "weight", "weights", "mode", "out"), Set.of("dry-run"));
  }

  private static MainOutcome runMain(CommandLine.Program<RuntimeException> program, String... args) {
    return MainOutcome.of(USAGE, program, args);
  }

  @Test
  void helpPrintsTheUsageOnStdoutAndSucceedsWithoutRunningTheProgram() {
    for (String help : List.of("--help", "-h")) {
      MainOutcome outcome = runMain(args -> {
        cli(args);
        throw new AssertionError("the program ran past --help");
      }, "--name", "x", help);
      assertEquals(MainOutcome.usagePrinted(USAGE), outcome, help);
    }
  }

  @Test
  void aUsageErrorPrintsTheProblemAndTheUsageOnStderrWithStatus2() {
    String n = System.lineSeparator();
    assertEquals(new MainOutcome(2, "", "unknown argument '--nme'" + n + USAGE + n), runMain(args -> cli(args), "--nme", "x"));
  }

  @Test
  void aProgramThatRunsThroughExitsWithStatus0AndPrintsNothingOfItsOwn() {
    assertEquals(new MainOutcome(0, "", ""), runMain(args -> cli(args).required("name"), "--name", "x"));
  }

  @Test
  void inputFailuresAreOneLineErrorsAndBugsPropagate() {
    String n = System.lineSeparator();
    assertEquals(new MainOutcome(1, "", "error: checkpoint differs in seed" + n), runMain(args -> {
      throw new IllegalStateException("checkpoint differs in seed");
    }));
    assertEquals(new MainOutcome(1, "", "error: query is empty or blank" + n), runMain(args -> {
      throw new IllegalArgumentException("query is empty or blank");
    }));
    assertEquals(new MainOutcome(1, "", "error: no such file or directory: /data/queries.tsv" + n), runMain(args -> {
      throw new UncheckedIOException(new NoSuchFileException("/data/queries.tsv"));
    }));
    assertEquals(
        new MainOutcome(1, "", "error: cannot load model: model directory /m has no config.json" + n),
        runMain(args -> {
          throw new UncheckedIOException(
              "cannot load model: model directory /m has no config.json",
              new IOException("model directory /m has no config.json"));
        }));
    assertEquals(
        new MainOutcome(1, "", "error: cannot write the run: no such file or directory: /x/run.txt" + n),
        runMain(args -> {
          throw new UncheckedIOException("cannot write the run", new NoSuchFileException("/x/run.txt"));
        }));
    assertThrows(NullPointerException.class, () -> runMain(args -> {
      throw new NullPointerException("a bug");
    }));
  }

  @Test
  void usageErrorsAreIllegalArgumentsThatNameTheArgument() {
    UsageException unknown = assertThrows(UsageException.class, () -> cli("--colour", "red"));
    assertTrue(unknown instanceof IllegalArgumentException);
    assertEquals("unknown argument '--colour'", unknown.getMessage());
    assertEquals("unknown argument 'stray'", assertThrows(UsageException.class, () -> cli("stray")).getMessage());
    assertEquals("argument --name needs a value", assertThrows(UsageException.class, () -> cli("--name")).getMessage());
    assertEquals("missing required argument --name",
        assertThrows(UsageException.class, () -> cli().required("name")).getMessage());
    // a switch takes no value, and an option is not a switch
    assertEquals("unknown argument '--dry-run=yes'",
        assertThrows(UsageException.class, () -> cli("--dry-run=yes")).getMessage());
  }

  @Test
  void switchesTakeNoValue() {
    CommandLine cli = cli("--dry-run", "--name", "x");
    assertTrue(cli.isSet("dry-run"));
    assertEquals("x", cli.required("name"));
    assertFalse(cli().isSet("dry-run"));
  }

  @Test
  void numbersAreParsedOrNamedWithTheBadValue() {
    assertEquals(7, cli("--count", "7").intValue("count", 1));
    assertEquals(1, cli().intValue("count", 1));
    assertEquals(OptionalInt.empty(), cli().optionalInt("count"));
    assertEquals("--count must be an integer, got '7.5'",
        assertThrows(UsageException.class, () -> cli("--count", "7.5").intValue("count", 1)).getMessage());

    assertEquals(0.25, cli("--weight", "0.25").doubleValue("weight", 1));
    assertEquals(1.0, cli().doubleValue("weight", 1));
    assertEquals("--weight must be a number, got 'heavy'",
        assertThrows(UsageException.class, () -> cli("--weight", "heavy").doubleValue("weight", 1)).getMessage());
    assertEquals("--weight must be a number, got 'NaN'",
        assertThrows(UsageException.class, () -> cli("--weight", "NaN").doubleValue("weight", 1)).getMessage());
  }

  @Test
  void listsAreCommaSeparatedAndEachItemIsChecked() {
    assertEquals(Optional.of(List.of(1.0, 0.5)), cli("--weights", "1, 0.5").doubleList("weights"));
    assertEquals(Optional.empty(), cli().doubleList("weights"));
    assertEquals(Optional.of(List.of(8, 16)), cli("--count", "8,16").intList("count"));
    assertEquals("--weights must be comma-separated numbers, got 'x'",
        assertThrows(UsageException.class, () -> cli("--weights", "1,x").doubleList("weights")).getMessage());
    assertEquals("--weights must be comma-separated numbers, got ''",
        assertThrows(UsageException.class, () -> cli("--weights", "1,").doubleList("weights")).getMessage());
    assertEquals("--count must be comma-separated integers, got 'y'",
        assertThrows(UsageException.class, () -> cli("--count", "8,y").intList("count")).getMessage());
  }

  @Test
  void rangesAreCheckedNamingTheArgument() {
    assertEquals(5, cli("--count", "5").intAtLeast("count", 1, 1));
    assertEquals(1, cli().intAtLeast("count", 1, 1));
    assertEquals("--count must be positive, got 0",
        assertThrows(UsageException.class, () -> cli("--count", "0").intAtLeast("count", 1, 1)).getMessage());
    assertEquals("--count must be zero or more, got -3",
        assertThrows(UsageException.class, () -> cli("--count", "-3").intAtLeast("count", 1, 0)).getMessage());
    assertEquals("--count must be in [1, 10], got 11",
        assertThrows(UsageException.class, () -> cli("--count", "11").intInRange("count", 1, 1, 10)).getMessage());
    assertEquals("--weight must be in [0.0, 1.0], got 2.0",
        assertThrows(UsageException.class, () -> cli("--weight", "2").doubleInRange("weight", 0.5, 0, 1)).getMessage());
  }

  @Test
  void anOutputFileMustBeWritableBeforeAnyWork(@TempDir Path dir) {
    Path ok = dir.resolve("run.txt");
    assertEquals(Optional.of(ok), cli("--out", ok.toString()).outputFile("out"));
    assertEquals(Optional.empty(), cli().outputFile("out"));
    assertEquals("--out " + dir + " is a directory; give a file to write",
        assertThrows(UsageException.class, () -> cli("--out", dir.toString()).outputFile("out")).getMessage());
    Path nested = dir.resolve("runs/dl19/run.txt");
    assertEquals(nested, cli("--out", nested.toString()).requiredOutputFile("out"));
    assertFalse(Files.exists(dir.resolve("runs")), "missing directories are created when the file is written, not here");
    Path file = dir.resolve("taken");
    assertDoesNotThrow(() -> Files.writeString(file, "x"));
    Path underFile = file.resolve("run.txt");
    assertEquals("--out " + underFile + ": " + file + " is not a directory",
        assertThrows(UsageException.class, () -> cli("--out", underFile.toString()).requiredOutputFile("out"))
            .getMessage());
  }

  @Test
  void aChoiceIsOneOfTheValuesListed() {
    assertEquals("fast", cli().choice("mode", "fast", "fast", "slow", "exact"));
    assertEquals("exact", cli("--mode", "exact").choice("mode", "fast", "fast", "slow", "exact"));
    assertEquals("--mode must be fast, slow or exact, got 'quick'",
        assertThrows(UsageException.class, () -> cli("--mode", "quick").choice("mode", "fast", "fast", "slow", "exact"))
            .getMessage());
  }
}
