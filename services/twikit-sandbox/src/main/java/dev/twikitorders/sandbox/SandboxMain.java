package dev.twikitorders.sandbox;

import dev.twikitorders.sandbox.cli.SandboxCommand;
import picocli.CommandLine;

/** Entry point of {@code twikit-sandbox.jar}: see {@link SandboxCommand} and the module README. */
public final class SandboxMain {
  private SandboxMain() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "twikit-sandbox-logback.xml");
    }
    int code = new CommandLine(new SandboxCommand()).execute(args);
    if (code != 0) {
      System.exit(code); // a normal stop returns from main: exiting inside a shutdown would hang
    }
  }
}
