package org.kfm.tasks.artifacts;

import java.util.regex.Pattern;

/**
 * What an artifact may be called: a plain file name, so that a name can never reach outside its
 * job's folder or key prefix (no slashes, backslashes, {@code ..}, percent-encoding or control
 * characters).
 */
public final class ArtifactNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ArtifactNames() {}

  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches() && !name.contains("..");
  }

  /**
   * @throws IllegalArgumentException naming the rule the name breaks
   */
  public static String requireValid(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "artifact name must be 1-128 letters, digits, '.', '_' or '-', start with a letter or"
              + " digit and hold no '..'");
    }
    return name;
  }
}
