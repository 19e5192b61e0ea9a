package org.kfm.tasks.worker.run;

import jakarta.inject.Singleton;
import org.kfm.tasks.contracts.ConcurrencyClass;
import org.kfm.tasks.contracts.MalformedRecordException;
import org.kfm.tasks.contracts.TaskCatalog;
import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.TaskSpec;

/** Which commands this worker runs from which class topic; anything else belongs in the DLQ. */
@Singleton
public class CommandCheck {
  private final TaskCatalog catalog;
  private final HandlerRegistry registry;

  CommandCheck(TaskCatalog catalog, HandlerRegistry registry) {
    this.catalog = catalog;
    this.registry = registry;
  }

  /**
   * Refuses a command this worker cannot run from this topic, and otherwise finds what runs it.
   *
   * @throws MalformedRecordException naming why; the record belongs in the DLQ
   */
  public RunnableCommand check(TaskCommand command, ConcurrencyClass topicClass) {
    TaskSpec spec =
        catalog
            .find(command.task())
            .map(TaskCatalog.Entry::spec)
            .orElseThrow(() -> new MalformedRecordException("unknown task " + command.task()));
    if (spec.concurrencyClass() != topicClass) {
      throw new MalformedRecordException(
          "task " + spec.name() + " belongs to " + spec.queue() + ", not " + topicClass.wireName());
    }
    TaskHandler handler =
        registry
            .handlerFor(spec.name())
            .orElseThrow(() -> new MalformedRecordException("no handler for task " + spec.name()));
    return new RunnableCommand(command, spec, handler);
  }
}
