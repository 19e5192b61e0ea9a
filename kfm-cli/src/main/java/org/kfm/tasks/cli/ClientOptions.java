package org.kfm.tasks.cli;

import java.time.Duration;
import java.util.List;
import org.kfm.tasks.cli.client.ApiClient;
import org.kfm.tasks.cli.client.LocalTokens;
import org.kfm.tasks.cli.stack.LocalKeys;
import org.kfm.tasks.cli.stack.StackLayout;
import picocli.CommandLine.Option;

/** Who the CLI acts as, where the API is, and how to print. */
class ClientOptions {
  @Option(names = "--json", description = "Print JSON for scripts.")
  boolean json;

  @Option(names = "--user", description = "Act as this local user (default: your login name).")
  String user = System.getProperty("user.name", "local-user");

  @Option(
      names = "--role",
      description =
          "A role of the local user; repeat for more (default: analyst; admin for kfm schedules).")
  List<String> roles;

  /** The roles when no --role is given; commands that only admins may use set admin. */
  List<String> defaultRoles = List.of("analyst");

  @Option(names = "--api", description = "API base URL (default: the local stack's).")
  String api;

  /** The roles the token carries: those given with --role, else the command's default. */
  List<String> effectiveRoles() {
    return roles != null ? roles : defaultRoles;
  }

  String token(StackLayout layout, Duration ttl) {
    return LocalTokens.sign(
        LocalKeys.signingKey(layout), LocalKeys.ISSUER, user, effectiveRoles(), ttl);
  }

  ApiClient client(StackLayout layout) {
    return new ApiClient(
        api != null ? api : layout.apiUrl(), token(layout, Duration.ofMinutes(10)));
  }
}
