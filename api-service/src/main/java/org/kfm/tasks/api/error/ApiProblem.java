package org.kfm.tasks.api.error;

import java.util.List;
import org.kfm.tasks.contracts.FieldError;

/** A refusal the client can act on; becomes an {@code application/problem+json} response. */
public class ApiProblem extends RuntimeException {
  private final int status;
  private final String title;
  private final List<FieldError> errors;

  public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public static ApiProblem badRequest(String detail, List<FieldError> errors) {
    return new ApiProblem(400, "Invalid request", detail, errors);
  }

  public static ApiProblem badField(String field, String message) {
    return badRequest(message, List.of(new FieldError(field, message)));
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "Not found", detail, List.of());
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(403, "Forbidden", detail, List.of());
  }

  public static ApiProblem conflict(String detail) {
    return new ApiProblem(409, "Conflict", detail, List.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }
}
