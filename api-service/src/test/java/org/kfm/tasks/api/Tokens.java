package org.kfm.tasks.api;

import org.kfm.tasks.testing.TestKeys;

/** Bearer headers for the users the tests play. */
public final class Tokens {
  private Tokens() {}

  public static String bearer(String user, String... roles) {
    return "Bearer " + TestKeys.current().token(user, roles);
  }

  public static String analyst(String user) {
    return bearer(user, "analyst");
  }

  public static String admin() {
    return bearer("root", "admin");
  }
}
