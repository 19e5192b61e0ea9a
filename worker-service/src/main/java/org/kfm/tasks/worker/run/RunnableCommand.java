package org.kfm.tasks.worker.run;

import org.kfm.tasks.contracts.TaskCommand;
import org.kfm.tasks.contracts.TaskHandler;
import org.kfm.tasks.contracts.TaskSpec;

/**
 * A command that passed {@link CommandCheck#check}, with the spec and handler found for it then:
 * running it looks nothing up again.
 */
public record RunnableCommand(TaskCommand command, TaskSpec spec, TaskHandler handler) {}
