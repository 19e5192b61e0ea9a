package org.kfm.tasks.contracts;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** A small valid spec, and loading a spec from text, for the loader's tests. */
final class Specs {
  /** Valid as it stands; tests replace or append a line to make the case they are about. */
  static final String VALID =
      """
      name: demo.echo
      version: 1
      purpose: Echo
      owner: demo-team
      queue: io-heavy
      concurrency_limit: 4
      retries: { max_attempts: 3, backoff: exponential, initial_delay_seconds: 1, max_delay_seconds: 10, jitter: true }
      timeout_seconds: 30
      ttl_seconds: 600
      input_schema: { type: object, properties: { text: { type: string } } }
      security: { required_role: user }
      triggers: [ kfm.events.demo.happened ]
      """;

  private Specs() {}

  static TaskSpec load(String yaml) {
    return TaskSpecLoader.load(
        "test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
