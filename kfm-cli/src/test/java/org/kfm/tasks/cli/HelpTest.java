package org.kfm.tasks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Every command of {@code ./kfm}, found by walking the command tree, answers {@code -h} and {@code
 * --help} with its usage. A new subcommand without help options fails here.
 */
class HelpTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(List<String> args) {
    CommandLine commandLine = Kfm.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args.toArray(String[]::new));
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** The name path of every command, the top one first: [], [up], [down], ... */
  private static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(Kfm.commandLine(), List.of(), paths);
    return paths;
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(path);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              // Aliases appear as extra keys; visit each command once, by its own name.
              if (name.equals(sub.getCommandName())) {
                List<String> subPath = new ArrayList<>(path);
                subPath.add(name);
                collect(sub, List.copyOf(subPath), into);
              }
            });
  }

  private static String display(List<String> path) {
    return String.join(" ", Stream.concat(Stream.of("kfm"), path.stream()).toList());
  }

  @Test
  void theWalkFindsTheWholeTree() {
    assertThat(commandPaths())
        .contains(List.of(), List.of("up"), List.of("bench"), List.of("submit"), List.of("token"))
        .hasSizeGreaterThanOrEqualTo(15);
  }

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersHelp() {
    return commandPaths().stream()
        .flatMap(
            path ->
                Stream.of("--help", "-h")
                    .map(
                        flag ->
                            DynamicTest.dynamicTest(
                                display(path) + " " + flag,
                                () -> {
                                  List<String> args = new ArrayList<>(path);
                                  args.add(flag);
                                  Run run = run(args);
                                  assertThat(run.err()).as("stderr").isEmpty();
                                  assertThat(run.exitCode()).as("exit code").isZero();
                                  assertThat(run.out())
                                      .as("usage")
                                      .startsWith("Usage: " + display(path) + " ")
                                      .contains("-h, --help");
                                })));
  }

  @TestFactory
  Stream<DynamicTest> everyCommandAnswersVersion() {
    return commandPaths().stream()
        .map(
            path ->
                DynamicTest.dynamicTest(
                    display(path) + " --version",
                    () -> {
                      List<String> args = new ArrayList<>(path);
                      args.add("--version");
                      Run run = run(args);
                      assertThat(run.exitCode()).as("exit code").isZero();
                      assertThat(run.out().strip()).isEqualTo(KfmVersion.VERSION);
                    }));
  }

  @Test
  void anUnknownOptionIsStillAnError() {
    Run run = run(List.of("bench", "--no-such-option"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--no-such-option'");
  }
}
