package org.kfm.tasks.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.DomainEventCatalog;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskSpec;
import org.kfm.tasks.contracts.Topics;

/** The KafkaTopics against the topics the services use. */
final class TopicCheck {
  private TopicCheck() {}

  /**
   * Every topic a service reads or writes exists as a KafkaTopic: the channels of both
   * application.properties, the class, status, control and domain-event topics of task-contracts,
   * and the dead-letter topic of each topic a consumer parks records from.
   */
  static List<String> problems(
      Rendered rendered, AppConfig api, AppConfig worker, TaskCatalog catalog) {
    Set<String> renderedTopics = Manifests.topicPartitions(rendered).keySet();
    Set<String> used = new TreeSet<>();
    used.addAll(api.configuredTopics());
    used.addAll(worker.configuredTopics());
    used.add(Topics.JOB_EVENTS);
    used.add(Topics.JOB_CONTROL);
    Set<String> parkedFrom = new TreeSet<>();
    parkedFrom.add(Topics.JOB_EVENTS);
    for (ConcurrencyClass c : ConcurrencyClass.values()) {
      used.add(c.topic());
      parkedFrom.add(c.topic());
    }
    DomainEventCatalog events = catalog.events();
    for (DomainEventCatalog.Entry entry : events.all()) {
      parkedFrom.add(entry.type().topic());
    }
    for (TaskCatalog.Entry entry : catalog.all()) {
      TaskSpec spec = entry.spec();
      parkedFrom.addAll(spec.eventTopics());
    }
    for (String topic : api.configuredTopics()) {
      if (topic.startsWith(Topics.DOMAIN_EVENTS_PREFIX)) {
        parkedFrom.add(topic);
      }
    }
    used.addAll(parkedFrom);
    parkedFrom.forEach(topic -> used.add(Topics.deadLetterOf(topic)));

    List<String> problems = new ArrayList<>();
    if (renderedTopics.isEmpty()) {
      problems.add("no KafkaTopic rendered");
    }
    for (String topic : used) {
      if (!renderedTopics.contains(topic)) {
        problems.add("topic " + topic + " is used but has no KafkaTopic");
      }
    }
    for (String pattern : api.channelTopicPatterns()) {
      Pattern regex = Pattern.compile(pattern);
      if (renderedTopics.stream().noneMatch(t -> regex.matcher(t).matches())) {
        problems.add("no KafkaTopic matches the subscription " + pattern);
      }
    }
    return problems;
  }
}
