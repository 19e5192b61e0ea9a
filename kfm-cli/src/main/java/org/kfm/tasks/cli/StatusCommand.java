package org.kfm.tasks.cli;

import java.util.concurrent.Callable;
import org.kfm.tasks.cli.client.Render;
import org.kfm.tasks.cli.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = "Without an id: each part of the local stack. With a job id: that job.")
class StatusCommand implements Callable<Integer> {
  @ParentCommand Kfm kfm;
  @Mixin ClientOptions options;

  @Parameters(arity = "0..1", description = "A job id.")
  String id;

  @Override
  public Integer call() {
    if (id == null) {
      new LocalStack(kfm.layout(), System.out).printStatus();
      return 0;
    }
    var job = options.client(kfm.layout()).get("/api/v1/jobs/" + id);
    if (options.json) {
      Render.json(System.out, job);
    } else {
      Render.job(System.out, job);
    }
    return 0;
  }
}
