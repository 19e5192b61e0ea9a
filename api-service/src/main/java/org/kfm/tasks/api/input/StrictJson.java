package org.kfm.tasks.api.input;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * Reads a request body that must not carry fields its record does not declare. The shared mapper
 * ignores unknown fields (events and commands from newer producers must still be read), but a
 * misspelled {@code runAt} in a submission would otherwise run the job at once without a word.
 * Free-form members ({@code params}, {@code lineage}) stay free-form: their checks are the task's.
 */
public class StrictJson implements BiFunction<ObjectMapper, Type, ObjectReader> {
  @Override
  public ObjectReader apply(ObjectMapper mapper, Type type) {
    return mapper
        .readerFor(mapper.constructType(type))
        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
