package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The domain event types producers may publish, loaded from {@code events/index.txt}: each with a
 * JSON Schema for its {@code data} (checked on {@code POST /api/v1/events} and by the trigger
 * router) and an example.
 */
public final class DomainEventCatalog {
  public static final String INDEX = "events/index.txt";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Map<String, Entry> entries;

  private DomainEventCatalog(Map<String, Entry> entries) {
    this.entries = entries;
  }

  /** A type with its compiled data schema. */
  public record Entry(DomainEventType type, ParamsValidator dataValidator) {}

  public static DomainEventCatalog fromClasspath(ClassLoader loader) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String file : index(loader)) {
      String resource = "events/" + file;
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new InvalidTaskSpecException(
              resource, List.of("listed in " + INDEX + " but missing"));
        }
        DomainEventType type = YAML.readValue(in, DomainEventType.class);
        List<String> problems = ParamsValidator.schemaProblems(type.dataSchema());
        ParamsValidator validator =
            problems.isEmpty() ? new ParamsValidator(type.dataSchema(), "/data") : null;
        if (validator != null) {
          validator
              .validate(type.example())
              .forEach(
                  e ->
                      problems.add(
                          "example" + e.field().substring("/data".length()) + ": " + e.message()));
        }
        if (!problems.isEmpty()) {
          throw new InvalidTaskSpecException(resource, problems);
        }
        entries.put(type.type(), new Entry(type, validator));
      } catch (IOException e) {
        throw new UncheckedIOException(resource + ": " + e.getMessage(), e);
      }
    }
    return new DomainEventCatalog(entries);
  }

  private static List<String> index(ClassLoader loader) {
    try (InputStream in = loader.getResourceAsStream(INDEX)) {
      if (in == null) {
        return List.of();
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Entry> find(String type) {
    return Optional.ofNullable(entries.get(type));
  }

  public Collection<Entry> all() {
    return entries.values();
  }
}
