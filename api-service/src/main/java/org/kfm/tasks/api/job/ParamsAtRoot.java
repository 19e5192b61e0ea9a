package org.kfm.tasks.api.job;

import org.kfm.tasks.api.error.ApiProblem;
import org.kfm.tasks.contracts.FieldError;

/** On a task's own route the body is the params: its fields are named from the body's root. */
final class ParamsAtRoot {
  private static final String PARAMS = "/params";

  private ParamsAtRoot() {}

  static ApiProblem of(ApiProblem problem) {
    if (problem.errors().stream().noneMatch(e -> e.field().startsWith(PARAMS))) {
      return problem;
    }
    return new ApiProblem(
        problem.status(),
        problem.title(),
        problem.getMessage(),
        problem.errors().stream()
            .map(
                e ->
                    e.field().startsWith(PARAMS)
                        ? new FieldError(
                            e.field().equals(PARAMS) ? "" : e.field().substring(PARAMS.length()),
                            e.message())
                        : e)
            .toList());
  }
}
