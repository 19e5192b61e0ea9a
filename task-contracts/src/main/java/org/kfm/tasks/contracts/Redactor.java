package org.kfm.tasks.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kfm.tasks.contracts.JobEvent.JobError;
import org.kfm.tasks.contracts.JobEvent.Progress;

/**
 * Keeps secrets out of whatever leaves a job: logs, status events, error messages, dead letters and
 * the API's view of other people's params. Params lose the fields their spec lists in {@code
 * security.redact} (a property name, matched at any depth, or a JSON pointer) and every field whose
 * name says it holds a credential. Free text loses the values of those fields wherever they appear,
 * and anything shaped like a credential: Authorization headers, bearer tokens, {@code
 * password=}/{@code token=}/{@code api_key=} pairs, signed-URL parameters, user info in URLs, AWS
 * access key ids and JWTs. Pure and thread-safe; every method leaves its input unchanged.
 */
public final class Redactor {
  public static final String MASK = "[REDACTED]";

  // Short values (a digit, "yes") would blank out unrelated text when replaced everywhere; values
  // this short are still masked in params, only not hunted for in free text.
  private static final int MIN_SECRET_LENGTH = 6;

  private static final Pattern CREDENTIAL_NAME =
      Pattern.compile(
          "(?i)password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
              + "|authorization|credential|session[_-]?id");

  private static final String VALUE = "[^\\s&;,\"'}<>()\\[\\]]+";

  private static final List<Rule> RULES =
      List.of(
          // https://user:password@host
          new Rule(
              Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s:@]+:[^/\\s@]+@"),
              m -> m.group(1) + MASK + "@"),
          // Authorization: Bearer abc, "authorization":"Basic abc"
          new Rule(
              Pattern.compile(
                  "(?i)\\b((?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?)"
                      + "(?:(bearer|basic|digest|token|apikey)\\s+)?"
                      // Already masked: "Bearer [REDACTED]" must not read as a bare credential.
                      + "(?!(?:bearer|basic|digest|token|apikey)\\b)"
                      + VALUE),
              m -> m.group(1) + (m.group(2) == null ? "" : m.group(2) + " ") + MASK),
          new Rule(
              Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9\\-._~+/]+=*"),
              m -> m.group(1) + " " + MASK),
          // "password": "two words" in JSON text
          new Rule(
              Pattern.compile(
                  "(?i)(\"[a-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey"
                      + "|access[_-]?key|credential)\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\""),
              m -> m.group(1) + MASK + "\""),
          // password=abc, api_key: abc, X-Amz-Signature=abc, aws_secret_access_key=abc
          new Rule(
              Pattern.compile(
                  "(?i)(?<![a-z0-9])([a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key"
                      + "|apikey|access[_-]?key|credential|x-amz-signature|x-amz-credential)"
                      + "[\"']?\\s*[=:]\\s*[\"']?)"
                      + VALUE),
              m -> m.group(1) + MASK),
          // ?key=abc&sig=abc: names too common to catch outside a query string
          new Rule(
              Pattern.compile("(?i)([?&](?:key|sig|signature|code)=)[^&\\s#\"'<>]+"),
              m -> m.group(1) + MASK),
          new Rule(Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\\b"), m -> MASK),
          // A JWT: header.payload.signature, each base64url, the header always starting eyJ
          new Rule(
              Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
              m -> MASK));

  // Every rule above needs one of these characters, or a bearer token or an AWS key id: text with
  // none of them (ids, numbers, plain words) skips the patterns, which cost more than the text.
  private static final Pattern BARE_CREDENTIAL =
      Pattern.compile("(?i)bearer|AKIA|ASIA|AGPA|AIDA|AROA");

  private static final Redactor PATTERNS_ONLY = new Redactor(List.of(), List.of());

  private final List<String> fields;
  private final List<String> secrets;

  private Redactor(List<String> fields, List<String> secrets) {
    this.fields = List.copyOf(fields);
    this.secrets = List.copyOf(secrets);
  }

  /** For text of unknown origin: credential-shaped fields and patterns only. */
  public static Redactor patternsOnly() {
    return PATTERNS_ONLY;
  }

  /** For anything about a job of this task, before its params are known. */
  public static Redactor of(TaskSpec spec) {
    return spec == null ? PATTERNS_ONLY : new Redactor(spec.redactedFields(), List.of());
  }

  /**
   * For anything about one job: also hunts the values of its redacted params in free text, so a
   * token an upstream echoes back in an error is masked whatever its shape.
   */
  public static Redactor forJob(TaskSpec spec, JsonNode params) {
    Redactor bySpec = of(spec);
    if (params == null || !params.isContainerNode()) {
      return bySpec;
    }
    Set<String> found = new LinkedHashSet<>();
    bySpec.collectSecrets(params, "", false, found);
    List<String> secrets = new ArrayList<>();
    for (String value : found) {
      secrets.add(value);
      String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
      if (!encoded.equals(value)) {
        secrets.add(encoded);
      }
    }
    // Longest first, so a secret containing another is masked whole.
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(bySpec.fields, secrets);
  }

  /**
   * A record's value as it may be parked in a DLQ: when it reads as JSON naming a task and its
   * params (a command), the params are redacted by that task's spec; then the whole text by
   * pattern. Text that is not JSON gets the patterns only.
   */
  public static String recordValue(String value, TaskCatalog catalog) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    JsonNode node;
    try {
      node = Wire.fromJson(value, JsonNode.class);
    } catch (RuntimeException notJson) {
      return PATTERNS_ONLY.text(value);
    }
    if (!(node instanceof ObjectNode object) || !object.has("params")) {
      return PATTERNS_ONLY.text(value);
    }
    TaskSpec spec =
        catalog == null
            ? null
            : catalog
                .find(object.path("task").asText(""))
                .map(TaskCatalog.Entry::spec)
                .orElse(null);
    Redactor redactor = forJob(spec, object.get("params"));
    ObjectNode copy = object.deepCopy();
    copy.set("params", redactor.params(object.get("params")));
    return redactor.text(Wire.toJson(copy));
  }

  /** A copy of {@code params} with every redacted field's value replaced by {@link #MASK}. */
  public JsonNode params(JsonNode params) {
    if (params == null) {
      return null;
    }
    return redactNode(params, "", false);
  }

  /** The text with known secret values and credential-shaped parts replaced by {@link #MASK}. */
  public String text(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, MASK);
    }
    if (!mayHoldCredential(redacted)) {
      return redacted;
    }
    for (Rule rule : RULES) {
      redacted = rule.apply(redacted);
    }
    return redacted;
  }

  private static boolean mayHoldCredential(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ':' || c == '=' || c == '.' || c == '@') {
        return true;
      }
    }
    return BARE_CREDENTIAL.matcher(text).find();
  }

  /** The event with its progress message, error message and result's text redacted. */
  public JobEvent event(JobEvent event) {
    Progress progress = event.progress();
    Progress redactedProgress =
        progress == null ? null : new Progress(progress.fraction(), text(progress.message()));
    JsonNode result = event.result() == null ? null : redactNode(event.result(), "", true);
    return new JobEvent(
        event.schemaVersion(),
        event.eventId(),
        event.jobId(),
        event.attempt(),
        event.type(),
        event.at(),
        event.workerId(),
        redactedProgress,
        result,
        error(event.error()),
        event.startedAt(),
        event.artifacts());
  }

  public JobError error(JobError error) {
    if (error == null) {
      return null;
    }
    return new JobError(
        error.code(),
        text(error.message()),
        error.retryable(),
        error.errorId(),
        error.retryNotBefore());
  }

  /**
   * A stand-in for {@code failure} to log: the same classes' names and stack frames, every message
   * in the cause chain redacted. Stack traces stay in server logs; this keeps secrets out of them.
   */
  public Throwable throwable(Throwable failure) {
    if (failure == null) {
      return null;
    }
    Throwable cause = failure.getCause() == failure ? null : throwable(failure.getCause());
    RedactedThrowable copy =
        new RedactedThrowable(failure.getClass().getName(), text(failure.getMessage()), cause);
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  private boolean redactsField(String name, String pointer) {
    if (CREDENTIAL_NAME.matcher(name).find()) {
      return true;
    }
    for (String field : fields) {
      if (field.startsWith("/") ? field.equals(pointer) : field.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private JsonNode redactNode(JsonNode node, String pointer, boolean textToo) {
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties()
          .forEach(
              field -> {
                String path = pointer + "/" + escape(field.getKey());
                copy.set(
                    field.getKey(),
                    redactsField(field.getKey(), path)
                        ? TextNode.valueOf(MASK)
                        : redactNode(field.getValue(), path, textToo));
              });
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        copy.add(redactNode(node.get(i), pointer + "/" + i, textToo));
      }
      return copy;
    }
    if (textToo && node.isTextual()) {
      return TextNode.valueOf(text(node.asText()));
    }
    return node.deepCopy();
  }

  private void collectSecrets(JsonNode node, String pointer, boolean inside, Set<String> found) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                String path = pointer + "/" + escape(field.getKey());
                collectSecrets(
                    field.getValue(), path, inside || redactsField(field.getKey(), path), found);
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectSecrets(node.get(i), pointer + "/" + i, inside, found);
      }
    } else if (inside && node.isValueNode()) {
      String value = node.asText();
      if (value.length() >= MIN_SECRET_LENGTH) {
        found.add(value);
      }
    }
  }

  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  private record Rule(Pattern pattern, Function<Matcher, String> replacement) {
    String apply(String text) {
      Matcher matcher = pattern.matcher(text);
      if (!matcher.find()) {
        return text;
      }
      StringBuilder out = new StringBuilder();
      do {
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
      } while (matcher.find());
      matcher.appendTail(out);
      return out.toString();
    }
  }

  /** Prints as the original would, class name first, so a logged trace reads the same. */
  private static final class RedactedThrowable extends RuntimeException {
    private final String originalClass;

    RedactedThrowable(String originalClass, String message, Throwable cause) {
      super(message, cause, false, true);
      this.originalClass = originalClass;
    }

    @Override
    public String toString() {
      String message = getMessage();
      return message == null ? originalClass : originalClass + ": " + message;
    }
  }
}
