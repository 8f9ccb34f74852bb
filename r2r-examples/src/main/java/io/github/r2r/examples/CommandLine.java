package io.github.r2r.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code --name value} arguments and {@code --name} switches of the example programs, with errors that say
 * what is wrong: every failure is a {@link UsageException}, {@code --help} a {@link HelpRequestedException}.
 * {@link #runMain} turns both into what a user of the program sees.
 */
final class CommandLine {
  /** The exit status of a program whose arguments are wrong, as for most command-line tools. */
  static final int USAGE_ERROR = 2;
  /** The exit status of a program stopped by bad input or a file problem (see {@link #runMain}). */
  static final int FAILED = 1;
  /** Set this system property to {@code true} to see the stack trace of such a failure too. */
  static final String STACK_TRACE_PROPERTY = "r2r.stacktrace";

  /** A program's work on its arguments. */
  @FunctionalInterface
  interface Program<E extends Exception> {
    void run(String[] args) throws E;
  }

  private final Map<String, String> values = new HashMap<>();
  private final Set<String> switchesGiven = new HashSet<>();

  /** Arguments that are all {@code --name value} options, of the names in {@code options}. */
  CommandLine(String[] args, Set<String> options) {
    this(args, options, Set.of());
  }

  /**
   * @param options names of the {@code --name value} options
   * @param switches names of the {@code --name} options that take no value
   */
  CommandLine(String[] args, Set<String> options, Set<String> switches) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (isHelp(arg)) {
        throw new HelpRequestedException();
      }
      String name = arg.startsWith("--") ? arg.substring(2) : "";
      if (switches.contains(name)) {
        switchesGiven.add(name);
        continue;
      }
      if (!options.contains(name)) {
        throw new UsageException("unknown argument '" + arg + "'");
      }
      if (i + 1 >= args.length) {
        throw new UsageException("argument " + arg + " needs a value");
      }
      values.put(name, args[++i]);
    }
  }

  /** Whether {@code arg} asks for the usage. */
  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /**
   * The {@code main} of a program: runs it on {@code args}, prints {@code usage} on stdout for {@code --help},
   * and for a usage error prints the problem and {@code usage} on stderr and exits with {@link #USAGE_ERROR}, so
   * that the user reads what to change rather than a stack trace. A program stopped by its input (a missing or
   * malformed file, an I/O failure, a value the library refuses: {@link IOException}, {@link
   * UncheckedIOException}, {@link IllegalArgumentException}, {@link IllegalStateException}) prints {@code error:}
   * and the message on one line and exits with {@link #FAILED}; {@code -Dr2r.stacktrace=true} adds the stack
   * trace. Other exceptions (a {@link NullPointerException} is a bug, not an input) propagate as they are.
   */
  static <E extends Exception> void runMain(String usage, String[] args, Program<E> program) throws E {
    int status = exitStatus(usage, args, program, System.out, System.err);
    // A successful run returns instead of exiting: exiting would cut short `mvn exec:java` and any caller.
    if (status != 0) {
      System.exit(status);
    }
  }

  /** What {@link #runMain} does short of exiting, on the streams given: the exit status it would exit with. */
  static <E extends Exception> int exitStatus(
      String usage, String[] args, Program<E> program, PrintStream out, PrintStream err) throws E {
    try {
      program.run(args);
      return 0;
    } catch (HelpRequestedException e) {
      out.println(usage.stripTrailing());
      return 0;
    } catch (UsageException e) {
      err.println(e.getMessage());
      err.println(usage.stripTrailing());
      return USAGE_ERROR;
    } catch (Exception e) {
      // The program's E may be IOException or not: catching Exception and rethrowing the rest keeps E precise.
      if (!(e instanceof IOException || e instanceof UncheckedIOException
          || e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
        throw e;
      }
      err.println("error: " + describe(e));
      if (Boolean.getBoolean(STACK_TRACE_PROPERTY)) {
        e.printStackTrace(err);
      }
      return FAILED;
    }
  }

  /**
   * A failure in words. The file-system exceptions' own messages are often just the path
   * ({@code NoSuchFileException: /data/queries.tsv}): say what is wrong with it.
   */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
      Throwable cause = unchecked.getCause();
      String outer = unchecked.getMessage();
      String inner = describe(cause);
      if (outer == null || outer.equals(cause.toString())) {
        return inner; // no words of its own
      }
      // "cannot load model: " + the cause's message already says it (a file-system cause's message is a bare path).
      boolean carriesCause = outer.contains(inner)
          || (!(cause instanceof FileSystemException) && cause.getMessage() != null && outer.contains(cause.getMessage()));
      return carriesCause ? outer : outer + ": " + inner;
    }
    if (e instanceof FileSystemException fs) {
      String what =
          fs instanceof NoSuchFileException ? "no such file or directory"
              : fs instanceof AccessDeniedException ? "permission denied"
              : fs instanceof FileAlreadyExistsException ? "already exists"
              : fs instanceof NotDirectoryException ? "not a directory"
              : fs instanceof DirectoryNotEmptyException ? "directory not empty"
              : fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
      return what + ": " + fs.getFile() + (fs.getOtherFile() != null ? " (and " + fs.getOtherFile() + ")" : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new UsageException("missing required argument --" + name);
    }
    return value;
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** Whether the switch {@code --name} (one of the constructor's {@code switches}) was given. */
  boolean isSet(String name) {
    return switchesGiven.contains(name);
  }

  /** The value of {@code --name}, or {@code fallback} when it is not given; it must be one of {@code allowed}. */
  String choice(String name, String fallback, String... allowed) {
    String value = optional(name).orElse(fallback);
    if (!List.of(allowed).contains(value)) {
      String last = allowed[allowed.length - 1];
      String others = String.join(", ", List.of(allowed).subList(0, allowed.length - 1));
      throw new UsageException("--" + name + " must be " + others + " or " + last + ", got '" + value + "'");
    }
    return value;
  }

  int intValue(String name, int fallback) {
    return optionalInt(name).orElse(fallback);
  }

  /** The integer of {@code --name} (or {@code fallback}), which must be at least {@code min}. */
  int intAtLeast(String name, int fallback, int min) {
    return intInRange(name, fallback, min, Integer.MAX_VALUE);
  }

  /**
   * A limit: the integer of {@code --name} (or {@code fallback}), at least {@code min}, or the word {@code
   * unlimited}, read as {@link Integer#MAX_VALUE} (the library's "no limit", e.g. {@code
   * DecodingOptions.UNLIMITED}).
   */
  int limit(String name, int fallback, int min) {
    Optional<String> value = optional(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (value.get().equals("unlimited")) {
      return Integer.MAX_VALUE;
    }
    int limit = parse(name, value.get(), Integer::parseInt, "an integer or 'unlimited'");
    if (limit < min) {
      throw new UsageException("--" + name + " must be " + range(min, Integer.MAX_VALUE) + ", got " + limit);
    }
    return limit;
  }

  /** The integer of {@code --name} (or {@code fallback}), which must be in [{@code min}, {@code max}]. */
  int intInRange(String name, int fallback, int min, int max) {
    int value = intValue(name, fallback);
    if (value < min || value > max) {
      throw new UsageException("--" + name + " must be " + range(min, max) + ", got " + value);
    }
    return value;
  }

  /** The number of {@code --name} (or {@code fallback}), which must be in [{@code min}, {@code max}]. */
  double doubleInRange(String name, double fallback, double min, double max) {
    double value = doubleValue(name, fallback);
    if (value < min || value > max) {
      throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  private static String range(int min, int max) {
    if (max == Integer.MAX_VALUE) {
      return min == 1 ? "positive" : min == 0 ? "zero or more" : "at least " + min;
    }
    return "in [" + min + ", " + max + "]";
  }

  /**
   * The path of {@code --name} as a file the program will write, checked before any work (a run or report
   * that fails to write after an hour of work is an hour lost): it must not be a directory, and the nearest
   * existing directory on its path must be writable. Missing directories on the path are created when the
   * file is written ({@link io.github.r2r.util.AtomicFiles}), not here: a run refused later leaves nothing.
   */
  Optional<Path> outputFile(String name) {
    return optional(name).map(value -> checkedOutputFile(name, Path.of(value)));
  }

  /** {@link #outputFile} of a required argument. */
  Path requiredOutputFile(String name) {
    return checkedOutputFile(name, Path.of(required(name)));
  }

  private static Path checkedOutputFile(String name, Path file) {
    if (Files.isDirectory(file)) {
      throw new UsageException("--" + name + " " + file + " is a directory; give a file to write");
    }
    checkCreatableUnder(name, file, file.toAbsolutePath().normalize().getParent());
    return file;
  }

  /**
   * Checks that what {@code --name} names ({@code path}) can be created at {@code start} (its directory,
   * or itself for an output directory): the nearest part of {@code start} that exists must be a writable
   * directory; the missing ones are created when the output is written.
   *
   * @throws UsageException otherwise
   */
  static void checkCreatableUnder(String name, Path path, Path start) {
    Path existing = start;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw new UsageException("--" + name + " " + path + ": " + existing + " is not a directory");
    }
    if (!Files.isWritable(existing)) {
      throw new UsageException("--" + name + " " + path + ": directory " + existing + " is not writable");
    }
  }

  OptionalInt optionalInt(String name) {
    String value = values.get(name);
    return value == null ? OptionalInt.empty() : OptionalInt.of(parse(name, value, Integer::parseInt, "an integer"));
  }

  double doubleValue(String name, double fallback) {
    return optional(name).map(v -> parse(name, v, CommandLine::finiteDouble, "a number")).orElse(fallback);
  }

  /** The comma-separated integers of {@code --name}, if given. */
  Optional<List<Integer>> intList(String name) {
    return list(name, Integer::parseInt, "integers");
  }

  /** The comma-separated numbers of {@code --name}, if given. */
  Optional<List<Double>> doubleList(String name) {
    return list(name, CommandLine::finiteDouble, "numbers");
  }

  private <T> Optional<List<T>> list(String name, Function<String, T> parser, String what) {
    return optional(name).map(value -> {
      List<T> items = new ArrayList<>();
      for (String item : value.split(",", -1)) {
        items.add(parse(name, item.strip(), parser, "comma-separated " + what));
      }
      return items;
    });
  }

  private static <T> T parse(String name, String value, Function<String, T> parser, String what) {
    try {
      return parser.apply(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be " + what + ", got '" + value + "'");
    }
  }

  /** A number as Double.parseDouble reads it, but not NaN or infinite: those are never a useful setting. */
  private static double finiteDouble(String text) {
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new NumberFormatException(text);
    }
    return value;
  }
}
