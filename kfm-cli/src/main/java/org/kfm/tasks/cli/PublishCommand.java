package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kfm publish TYPE --data FILE}: a domain event as a producer would send it, wrapped in a
 * CloudEvents envelope and posted to {@code /api/v1/events}; the tasks its type triggers are then
 * enqueued.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = {
      "Publish a domain event (e.g. imagery.arrived) as a producer; the tasks it triggers run.",
      "The same --id again is the same event: it makes no second job."
    })
class PublishCommand extends JobCommands.ClientCommand {
  @Parameters(index = "0", description = "The event type, e.g. imagery.arrived.")
  String type;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "A JSON file with the event's data.")
  Path data;

  @Option(names = "--id", description = "The event id (default: a new UUID).")
  String id;

  @Option(
      names = "--source",
      description = "The event's source, a URI (default: ${DEFAULT-VALUE}).")
  String source = "urn:kfm:cli";

  @Override
  public Integer call() throws IOException {
    // Producers publish; --role still overrides.
    options.defaultRoles = List.of("producer");
    JsonNode payload = Wire.fromJson(Files.readString(data), JsonNode.class);
    ObjectNode event = Wire.mapper().createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", id != null ? id : UUID.randomUUID().toString());
    event.put("source", source);
    event.put("type", type);
    event.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    event.put("datacontenttype", "application/json");
    event.set("data", payload);
    ApiClient api = client();
    JsonNode answer = api.post("/api/v1/events", event, Map.of());
    print(
        answer,
        () ->
            System.out.println(
                "published "
                    + answer.path("type").asText()
                    + " event "
                    + answer.path("id").asText()
                    + " to "
                    + answer.path("topic").asText()));
    return 0;
  }
}
