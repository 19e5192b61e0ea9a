package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Validates a job's params against its task's input schema (JSON Schema 2020-12). */
public final class ParamsValidator {
  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private final Schema schema;

  private final String root;

  public ParamsValidator(JsonNode inputSchema) {
    this(inputSchema, "/params");
  }

  /** Names failing fields under {@code root}, e.g. {@code /data} for a domain event's data. */
  public ParamsValidator(JsonNode schema, String root) {
    this.schema = REGISTRY.getSchema(schema);
    this.root = root;
  }

  /** Each failing field as a JSON Pointer under the root, in a stable order. */
  public List<FieldError> validate(JsonNode params) {
    List<FieldError> errors = new ArrayList<>();
    for (Error error : schema.validate(params)) {
      errors.add(new FieldError(root + pointerOf(error), error.getMessage()));
    }
    errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
    return errors;
  }

  /** Problems with a schema itself, checked against the 2020-12 meta-schema. */
  static List<String> schemaProblems(JsonNode inputSchema) {
    List<String> problems = new ArrayList<>();
    try {
      Schema meta = REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA));
      for (Error error : meta.validate(inputSchema)) {
        problems.add("input_schema" + pointerOf(error) + ": " + error.getMessage());
      }
      REGISTRY.getSchema(inputSchema).validate("{}", InputFormat.JSON);
    } catch (RuntimeException e) {
      problems.add("input_schema cannot be compiled: " + e.getMessage());
    }
    return problems;
  }

  private static String pointerOf(Error error) {
    StringBuilder pointer = new StringBuilder();
    NodePath path = error.getInstanceLocation();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(escape(String.valueOf(path.getElement(i))));
    }
    // "required" reports the object that lacks the field; point at the missing field itself.
    if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
      pointer.append('/').append(escape(error.getProperty()));
    }
    return pointer.toString();
  }

  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
