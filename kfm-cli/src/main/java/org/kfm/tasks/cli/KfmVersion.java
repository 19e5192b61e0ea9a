package org.kfm.tasks.cli;

import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints, on {@code ./kfm} and on each of its commands. */
final class KfmVersion implements IVersionProvider {
  static final String VERSION = "kfm 0.1.0";

  @Override
  public String[] getVersion() {
    return new String[] {VERSION};
  }
}
