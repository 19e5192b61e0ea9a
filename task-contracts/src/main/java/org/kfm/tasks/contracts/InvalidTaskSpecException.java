package org.kfm.tasks.contracts;

import java.util.List;

/** A spec file that cannot be served; the message names the file and every problem in it. */
public class InvalidTaskSpecException extends RuntimeException {
  private final List<String> problems;

  public InvalidTaskSpecException(String source, List<String> problems) {
    super("invalid task spec " + source + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
