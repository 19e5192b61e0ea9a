package org.kfm.tasks.contracts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * A string that must be written as one: refuses numbers, booleans, lists and maps instead of
 * coercing a scalar into text, so a list of names in a spec holds only names.
 */
final class StrictStringDeserializer extends StdDeserializer<String> {
  StrictStringDeserializer() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    return (String)
        ctxt.handleUnexpectedToken(
            String.class,
            p.currentToken(),
            p,
            "must be a string, got %s",
            describe(p.currentToken()));
  }

  @Override
  public String getNullValue(DeserializationContext ctxt) throws JsonMappingException {
    return (String) ctxt.reportInputMismatch(String.class, "must be a string, got nothing (null)");
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a map";
      case START_ARRAY -> "a list";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> String.valueOf(token);
    };
  }
}
