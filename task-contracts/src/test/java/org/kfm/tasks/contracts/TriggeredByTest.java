package org.kfm.tasks.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.kfm.tasks.contracts.TaskSpec.HttpRoute;

/** The spellings of {@code triggered_by} a spec may use, and what the loader refuses in it. */
class TriggeredByTest {
  private static final String BASE = Specs.VALID;

  private static TaskSpec withTriggeredBy(String yaml) {
    String spec = BASE + "triggered_by: " + yaml + "\n";
    return Specs.load(spec);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(String yaml) {
    return assertThatThrownBy(() -> withTriggeredBy(yaml))
        .isInstanceOf(InvalidTaskSpecException.class)
        .hasMessageContaining("test.yaml");
  }

  @Test
  void aListOfStringsMixesRoutesAndEventTypesInEveryEventSpelling() {
    TaskSpec spec =
        withTriggeredBy(
            """

              - POST /api/simulation/run
              - post /api/simulation/rerun
              - imagery.arrived
              - "event: tiles.requested"
              - kfm.events.scenario.updated
            """);
    assertThat(spec.httpRoutes())
        .containsExactly(
            new HttpRoute("POST", "/api/simulation/run"),
            new HttpRoute("POST", "/api/simulation/rerun"));
    assertThat(spec.triggeredBy().events())
        .containsExactly("imagery.arrived", "tiles.requested", "scenario.updated");
    assertThat(spec.eventTopics())
        .containsExactly(
            "kfm.events.demo.happened",
            "kfm.events.imagery.arrived",
            "kfm.events.tiles.requested",
            "kfm.events.scenario.updated");
    assertThat(spec.triggers()).containsExactly("kfm.events.demo.happened");
  }

  @Test
  void aFlowListOfStringsLoads() {
    TaskSpec spec = withTriggeredBy("[\"POST /api/simulation/run\", imagery.arrived]");
    assertThat(spec.httpRoutes()).containsExactly(new HttpRoute("POST", "/api/simulation/run"));
    assertThat(spec.triggeredBy().events()).containsExactly("imagery.arrived");
  }

  @Test
  void aListOfSingleKeyMapsLoads() {
    TaskSpec spec =
        withTriggeredBy(
            """

              - http: POST /api/simulation/run
              - event: imagery.arrived
              - event: kfm.events.scenario.updated
              - http: [POST /api/a, POST /api/b]
            """);
    assertThat(spec.httpRoutes())
        .containsExactly(
            new HttpRoute("POST", "/api/simulation/run"),
            new HttpRoute("POST", "/api/a"),
            new HttpRoute("POST", "/api/b"));
    assertThat(spec.triggeredBy().events()).containsExactly("imagery.arrived", "scenario.updated");
  }

  @Test
  void aMapOfHttpAndEventsLoadsWithStringsOrLists() {
    TaskSpec lists =
        withTriggeredBy(
            "{ http: [POST /api/simulation/run], events: [imagery.arrived, kfm.events.a.b] }");
    assertThat(lists.httpRoutes()).containsExactly(new HttpRoute("POST", "/api/simulation/run"));
    assertThat(lists.triggeredBy().events()).containsExactly("imagery.arrived", "a.b");

    TaskSpec strings =
        withTriggeredBy(
            """

              http: POST /api/simulation/run
              events: imagery.arrived
            """);
    assertThat(strings.httpRoutes()).containsExactly(new HttpRoute("POST", "/api/simulation/run"));
    assertThat(strings.eventTopics())
        .containsExactly("kfm.events.demo.happened", "kfm.events.imagery.arrived");
  }

  @Test
  void aSingleStringIsAListOfOne() {
    assertThat(withTriggeredBy("POST /api/simulation/run").httpRoutes())
        .containsExactly(new HttpRoute("POST", "/api/simulation/run"));
    assertThat(withTriggeredBy("imagery.arrived").triggeredBy().events())
        .containsExactly("imagery.arrived");
  }

  @Test
  void anEventNamedInBothTriggersAndTriggeredByIsOneTopic() {
    TaskSpec spec = withTriggeredBy("[demo.happened, kfm.events.other.thing]");
    assertThat(spec.eventTopics())
        .containsExactly("kfm.events.demo.happened", "kfm.events.other.thing");
  }

  @Test
  void anEmptyOrNullTriggeredByIsNothing() {
    assertThat(withTriggeredBy("[]").httpRoutes()).isEmpty();
    assertThat(withTriggeredBy("~").triggeredBy()).isEqualTo(TaskSpec.TriggeredBy.NONE);
  }

  @Test
  void aMethodOtherThanPostIsRefused() {
    refused("[GET /api/simulation/run]")
        .hasMessageContaining(
            "triggered_by route GET /api/simulation/run: the method must be POST, got GET");
    refused("[{ http: DELETE /api/x }]")
        .hasMessageContaining("the method must be POST, got DELETE");
  }

  @Test
  void aRouteWithoutAMethodIsRefused() {
    refused("[/api/simulation/run]")
        .hasMessageContaining(
            "triggered_by route /api/simulation/run: the method is missing;"
                + " write it as POST /api/simulation/run");
    refused("{ http: /api/x }").hasMessageContaining("the method is missing");
  }

  @Test
  void aPathNotStartingWithSlashIsRefused() {
    refused("[POST api/simulation/run]")
        .hasMessageContaining(
            "triggered_by route POST api/simulation/run: the path must start with /");
  }

  @Test
  void aPathWithUnsafeCharactersIsRefused() {
    for (String path : new String[] {"/api/run?x=1", "/api/{id}/run", "/api/r%20n", "/api/a;b"}) {
      refused("[\"POST " + path + "\"]")
          .hasMessageContaining("triggered_by route POST " + path)
          .hasMessageContaining("may contain only letters, digits and - _ . ~ /");
    }
  }

  @Test
  void aPathWithEmptyOrDotSegmentsIsRefused() {
    for (String path : new String[] {"/", "/api//run", "/api/run/", "/api/../q/health", "/./x"}) {
      refused("[\"POST " + path + "\"]")
          .hasMessageContaining("triggered_by route POST " + path)
          .hasMessageContaining("must not have empty, . or .. segments");
    }
  }

  @Test
  void aPathUnderTheJobApiOrQuarkusEndpointsIsRefused() {
    for (String path :
        new String[] {"/api/v1/jobs", "/api/v1", "/API/V1/jobs", "/q/health", "/q", "/Q/metrics"}) {
      refused("[\"POST " + path + "\"]")
          .hasMessageContaining("triggered_by route POST " + path + ": the path must not be under");
    }
    // A sibling that merely starts with the same letters is fine.
    assertThat(withTriggeredBy("[POST /api/v10/run, POST /quick/run]").httpRoutes()).hasSize(2);
  }

  @Test
  void theSameRouteTwiceInOneSpecIsRefused() {
    refused("[POST /api/run, { http: post /api/run }]")
        .hasMessageContaining("triggered_by route POST /api/run is named more than once");
  }

  @Test
  void anEventTypeThatIsNotDottedLowerCaseIsRefused() {
    for (String event :
        new String[] {"Imagery.Arrived", "imagery", "imagery.", "imagery..arrived", "1.arrived"}) {
      refused("[\"" + event + "\"]")
          .hasMessageContaining(
              "triggered_by event " + event + " must be a dotted lower-case event type");
    }
    refused("[\"event: imagery arrived\"]")
        .hasMessageContaining("triggered_by event imagery arrived must be a dotted lower-case");
    refused("{ events: [kfm.events.Imagery] }")
        .hasMessageContaining("triggered_by event Imagery must be a dotted lower-case");
  }

  @Test
  void everyProblemInTriggeredByIsNamedAtOnce() {
    refused("[GET /api/v1/jobs, Bad.Event]")
        .hasMessageContaining("the method must be POST, got GET")
        .hasMessageContaining("the path must not be under /api/v1/")
        .hasMessageContaining("triggered_by event Bad.Event");
  }

  @Test
  void anUnknownKeyIsRefusedByName() {
    refused("{ htp: POST /api/run }")
        .hasMessageContaining("triggered_by: unknown key htp (expected http or events)")
        .hasMessageContaining("at triggered_by");
    refused("[{ hook: POST /api/run }]").hasMessageContaining("triggered_by[0]: unknown key hook");
    refused("[\"webhook: POST /api/run\"]")
        .hasMessageContaining("triggered_by[0]: unknown key webhook");
  }

  @Test
  void anEntryOfTheWrongShapeIsRefused() {
    refused("[42]").hasMessageContaining("triggered_by[0] must be a string");
    refused("[{ http: POST /a, event: b.c }]")
        .hasMessageContaining("triggered_by[0] must be a string")
        .hasMessageContaining("a map with keys http, event");
    refused("{ events: [a.b, [c.d]] }")
        .hasMessageContaining("triggered_by.events[1] must be a string, got a list");
    refused("true").hasMessageContaining("triggered_by must be a list");
  }
}
