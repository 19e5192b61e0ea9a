package org.kfm.tasks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.TaskCatalog;

/**
 * The rendered chart agrees with what the services use: worker classes, topics and consumer groups,
 * ports and health paths, Secrets, topics, network reach. Each check is also shown to fail on a
 * render broken the way a typo would break it.
 */
class ChartInvariantsTest {
  private static final AppConfig API = AppConfig.api();
  private static final AppConfig WORKER = AppConfig.worker();
  private static final TaskCatalog CATALOG = TaskCatalog.fromClasspath();

  private record Example(Path[] files, Rendered rendered, JsonNode values) {}

  private static Example example(Path... files) {
    return new Example(files, Chart.render(files), Chart.values(files));
  }

  private static final List<Example> EXAMPLES =
      List.of(example(), example(Repo.PRODUCTION_VALUES), example(Repo.CLOUDNATIVEPG_VALUES));

  private static final Example DEFAULTS = EXAMPLES.get(0);

  @Test
  void eachWorkerClassHasADeploymentAndAScaledObjectOnItsOwnTopicAndGroup() {
    for (Example example : EXAMPLES) {
      assertThat(example.rendered().ofKind("ScaledObject")).isNotEmpty();
      assertThat(WorkerClassCheck.problems(example.rendered(), example.values(), WORKER))
          .as("%s", Arrays.toString(example.files()))
          .isEmpty();
    }
  }

  @Test
  void aScaledObjectOnAMisspelledTopicOrGroupIsCaught() {
    assertCaught(
        o -> scaledObjectTrigger(o, "cpu-heavy").put("topic", "kfm.tasks.cpu_heavy"),
        rendered -> WorkerClassCheck.problems(rendered, DEFAULTS.values(), WORKER),
        "scaler topic");
    assertCaught(
        o -> scaledObjectTrigger(o, "io-heavy").put("consumerGroup", "kfm-workers-io-heavy"),
        rendered -> WorkerClassCheck.problems(rendered, DEFAULTS.values(), WORKER),
        "scaler consumerGroup");
  }

  @Test
  void aWorkerServingTheWrongClassIsCaught() {
    assertCaught(
        o -> {
          for (JsonNode entry : workerEnv(o, "latency-sensitive")) {
            if (entry.path("name").asText().equals("KFM_SERVE_IO_HEAVY")) {
              ((ObjectNode) entry).put("value", "true");
            }
          }
        },
        rendered -> WorkerClassCheck.problems(rendered, DEFAULTS.values(), WORKER),
        "class latency-sensitive: consumes io-heavy");
  }

  @Test
  void aGracePeriodShorterThanTheDrainIsCaught() {
    assertCaught(
        o -> workerPod(o, "cpu-heavy").put("terminationGracePeriodSeconds", 30),
        rendered -> WorkerClassCheck.problems(rendered, DEFAULTS.values(), WORKER),
        "terminationGracePeriodSeconds 30");
  }

  @Test
  void probesAndPortsExistInTheServices() {
    for (Example example : EXAMPLES) {
      assertThat(ProbeCheck.problems(example.rendered(), API, WORKER))
          .as("%s", Arrays.toString(example.files()))
          .isEmpty();
    }
  }

  @Test
  void aProbeOnAPathOrPortTheServiceDoesNotServeIsCaught() {
    assertCaught(
        o ->
            apiContainer(o)
                .with("readinessProbe")
                .with("httpGet")
                .put("path", "/q/health/readiness"),
        rendered -> ProbeCheck.problems(rendered, API, WORKER),
        "readinessProbe path");
    assertCaught(
        o -> ((ObjectNode) apiContainer(o).path("ports").path(0)).put("containerPort", 8090),
        rendered -> ProbeCheck.problems(rendered, API, WORKER),
        "the service listens on 8080");
  }

  @Test
  void everySecretAndConfigMapReferenceIsDeclared() {
    for (Example example : EXAMPLES) {
      assertThat(ReferenceCheck.problems(example.rendered(), example.values()))
          .as("%s", Arrays.toString(example.files()))
          .isEmpty();
    }
  }

  @Test
  void anUndeclaredSecretReferenceIsCaught() {
    assertCaught(
        o -> {
          for (JsonNode entry : apiContainer(o).path("env")) {
            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
            if (ref.path("key").asText().equals("password")) {
              ((ObjectNode) ref).put("name", "kfm-tasks-database");
            }
          }
        },
        rendered -> ReferenceCheck.problems(rendered, DEFAULTS.values()),
        "undeclared Secret kfm-tasks-database password");
  }

  @Test
  void everyTopicTheServicesUseHasAKafkaTopic() {
    assertThat(TopicCheck.problems(DEFAULTS.rendered(), API, WORKER, CATALOG)).isEmpty();
  }

  @Test
  void aMissingTopicIsCaught() {
    Rendered rendered = DEFAULTS.rendered().copy();
    List<ObjectNode> kept =
        rendered.objects().stream()
            .filter(
                o -> !o.path("spec").path("topicName").asText().equals("kfm.dlq.kfm.job-events"))
            .toList();

    assertThat(TopicCheck.problems(new Rendered("", kept), API, WORKER, CATALOG))
        .containsExactly("topic kfm.dlq.kfm.job-events is used but has no KafkaTopic");
  }

  @Test
  void onlyTheApiIsReachableAndNoPodMayCallEverywhere() {
    for (Example example : EXAMPLES) {
      assertThat(NetworkReachCheck.problems(example.rendered()))
          .as("%s", Arrays.toString(example.files()))
          .isEmpty();
    }
  }

  @Test
  void aWorkerOpenToEveryoneIsCaught() {
    assertCaught(
        o -> {
          for (ObjectNode policy : o.ofKind("NetworkPolicy")) {
            if (policy.path("metadata").path("name").asText().endsWith("-workers")) {
              ((ObjectNode) policy.path("spec").path("ingress").path(0)).remove("from");
              ((ObjectNode) policy.path("spec").path("egress").path(1)).remove("to");
            }
          }
        },
        NetworkReachCheck::problems,
        "ingress from anywhere");
  }

  @Test
  void autoscalersBudgetsAndTheIngressPointAtRenderedObjects() {
    for (Example example : EXAMPLES) {
      assertThat(TargetCheck.problems(example.rendered()))
          .as("%s", Arrays.toString(example.files()))
          .isEmpty();
    }
  }

  @Test
  void aBudgetOrAutoscalerOnAMisspelledTargetIsCaught() {
    assertCaught(
        o ->
            ((ObjectNode)
                    o.ofKind("HorizontalPodAutoscaler").get(0).path("spec").path("scaleTargetRef"))
                .put("name", "kfm-tasks-apii"),
        TargetCheck::problems,
        "scales a missing");
    assertCaught(
        o ->
            ((ObjectNode)
                    o.ofKind("PodDisruptionBudget")
                        .get(0)
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"))
                .put("app.kubernetes.io/component", "apis"),
        TargetCheck::problems,
        "selects no pods");
  }

  @Test
  void choresSubmitTasksTheCatalogueHas() {
    Rendered rendered = Chart.render(Repo.PRODUCTION_VALUES);

    assertThat(rendered.ofKind("CronJob")).isNotEmpty();
    assertThat(ChoreCheck.problems(rendered, CATALOG)).isEmpty();

    Rendered broken =
        Chart.render(
            List.of(Repo.PRODUCTION_VALUES),
            java.util.Map.of("chores.jobs.cache-cleanup.task", "maintenance.cache_clean"));
    assertThat(ChoreCheck.problems(broken, CATALOG))
        .singleElement()
        .asString()
        .contains("maintenance.cache_clean");
  }

  // --- breaking a render on purpose
  // ---------------------------------------------------------------

  private static void assertCaught(
      java.util.function.Consumer<Rendered> breakIt,
      Function<Rendered, List<String>> check,
      String expectedProblem) {
    Rendered rendered = DEFAULTS.rendered().copy();
    assertThat(check.apply(rendered)).as("the unbroken render passes").isEmpty();

    breakIt.accept(rendered);

    assertThat(check.apply(rendered)).anySatisfy(p -> assertThat(p).contains(expectedProblem));
  }

  private static ObjectNode workerDeployment(Rendered rendered, String workerClass) {
    return rendered.ofKind("Deployment").stream()
        .filter(
            d ->
                workerClass.equals(
                    d.path("metadata").path("labels").path("kfm-tasks.org/class").asText()))
        .findFirst()
        .orElseThrow();
  }

  private static ObjectNode workerPod(Rendered rendered, String workerClass) {
    return (ObjectNode)
        workerDeployment(rendered, workerClass).path("spec").path("template").path("spec");
  }

  private static ArrayNode workerEnv(Rendered rendered, String workerClass) {
    return (ArrayNode) workerPod(rendered, workerClass).path("containers").path(0).path("env");
  }

  private static ObjectNode apiContainer(Rendered rendered) {
    ObjectNode api =
        rendered.ofKind("Deployment").stream()
            .filter(
                d ->
                    d.path("metadata")
                        .path("labels")
                        .path("app.kubernetes.io/component")
                        .asText()
                        .equals("api"))
            .findFirst()
            .orElseThrow();
    return (ObjectNode) api.path("spec").path("template").path("spec").path("containers").path(0);
  }

  private static ObjectNode scaledObjectTrigger(Rendered rendered, String workerClass) {
    ObjectNode scaledObject =
        rendered.ofKind("ScaledObject").stream()
            .filter(
                s ->
                    workerClass.equals(
                        s.path("metadata").path("labels").path("kfm-tasks.org/class").asText()))
            .findFirst()
            .orElseThrow();
    return (ObjectNode) scaledObject.path("spec").path("triggers").path(0).path("metadata");
  }
}
