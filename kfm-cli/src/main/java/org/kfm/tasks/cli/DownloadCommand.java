package org.kfm.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kfm.tasks.cli.client.ArtifactFiles;
import org.kfm.tasks.cli.client.ArtifactFiles.Downloaded;
import org.kfm.tasks.cli.client.Render;
import org.kfm.tasks.contracts.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kfm download ID [NAME] [-o FILE|DIR]}: a job's artifacts to local files, verified. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    versionProvider = KfmVersion.class,
    description = {
      "Download a job's artifacts, checking each against its SHA-256.",
      "With NAME: that artifact to FILE (default ./NAME; into it if FILE is a folder).",
      "Without NAME: every artifact of the job into DIR (default .)."
    })
class DownloadCommand extends JobCommands.ClientCommand {
  /** Files up to this size need no progress bar. */
  static final long BAR_FROM_BYTES = 1024 * 1024;

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The job id.")
  String id;

  @Parameters(index = "1", arity = "0..1", description = "One artifact's name.")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE|DIR",
      description = "Where to write: a file with NAME, a folder without.")
  Path output;

  @Override
  public Integer call() {
    ArtifactFiles files = new ArtifactFiles(client());
    JsonNode listed = files.list(id);
    List<Downloaded> done = new ArrayList<>();
    if (name != null) {
      JsonNode artifact = find(listed, name);
      Path target =
          output == null
              ? Path.of(name)
              : Files.isDirectory(output) ? output.resolve(name) : output;
      done.add(fetch(files, artifact, target));
    } else {
      Path dir = output == null ? Path.of(".") : output;
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException(
            dir + " is not a folder; name an artifact to write a file");
      }
      if (listed.isEmpty() && !options.json) {
        spec.commandLine().getErr().println("job " + id + " has no artifacts");
      }
      for (JsonNode artifact : listed) {
        String file = ArtifactFiles.requirePlainName(artifact.path("name").asText());
        done.add(fetch(files, artifact, dir.resolve(file)));
      }
    }
    if (options.json) {
      ArrayNode out = Wire.mapper().createArrayNode();
      done.forEach(
          d ->
              out.addObject()
                  .put("name", d.name())
                  .put("size", d.size())
                  .put("sha256", d.sha256())
                  .put("path", d.path().toString()));
      spec.commandLine().getOut().println(Wire.toJson(out));
    }
    return 0;
  }

  private JsonNode find(JsonNode listed, String wanted) {
    List<String> names = new ArrayList<>();
    for (JsonNode artifact : listed) {
      if (artifact.path("name").asText().equals(wanted)) {
        return artifact;
      }
      names.add(artifact.path("name").asText());
    }
    throw new IllegalArgumentException(
        "job " + id + " has no artifact " + wanted + (names.isEmpty() ? "" : "; it has " + names));
  }

  private Downloaded fetch(ArtifactFiles files, JsonNode artifact, Path target) {
    PrintWriter err = spec.commandLine().getErr();
    long size = artifact.path("size").asLong();
    boolean bar = System.console() != null && size > BAR_FROM_BYTES;
    Downloaded d =
        files.download(
            id,
            artifact,
            target,
            bar
                ? new TerminalBar(err, artifact.path("name").asText())
                : ArtifactFiles.Progress.NONE);
    if (bar) {
      err.print("\r\033[2K");
      err.flush();
    }
    if (!options.json) {
      spec.commandLine()
          .getOut()
          .printf("%s  %d bytes  sha256 %s  -> %s%n", d.name(), d.size(), d.sha256(), d.path());
    }
    return d;
  }

  /** A bar redrawn in place on the terminal, at most ten times a second and at the end. */
  private static final class TerminalBar implements ArtifactFiles.Progress {
    private final PrintWriter err;
    private final String label;
    private long drawnAt;

    TerminalBar(PrintWriter err, String label) {
      this.err = err;
      this.label = label;
    }

    @Override
    public void update(long done, long total) {
      long now = System.nanoTime();
      if (done < total && now - drawnAt < 100_000_000L) {
        return;
      }
      drawnAt = now;
      err.print(
          "\r\033[2K"
              + label
              + " "
              + Render.bar(total == 0 ? 1 : (double) done / total, 30)
              + String.format("  %.1f / %.1f MB", done / 1048576.0, total / 1048576.0));
      err.flush();
    }
  }
}
