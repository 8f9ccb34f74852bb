package io.github.r2r.examples;

import java.io.PrintStream;
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
   * that the user reads what to change rather than a stack trace. Other exceptions propagate as they are.
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
    }
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
