package io.github.r2r.examples;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} arguments of the example programs, with errors that say what is wrong. */
final class CommandLine {
  private final Map<String, String> values = new HashMap<>();
  private final String usage;

  CommandLine(String[] args, Set<String> known, String usage) {
    this.usage = usage;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
        throw fail("unknown argument '" + arg + "'");
      }
      if (i + 1 >= args.length) {
        throw fail("argument " + arg + " needs a value");
      }
      values.put(arg.substring(2), args[++i]);
    }
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw fail("missing required argument --" + name);
    }
    return value;
  }

  Optional<String> optional(String name) {
    return Optional.ofNullable(values.get(name));
  }

  int intValue(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw fail("--" + name + " must be an integer, got '" + value + "'");
    }
  }

  IllegalArgumentException fail(String message) {
    return new IllegalArgumentException(message + "\n" + usage);
  }
}
