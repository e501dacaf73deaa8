package dev.myelin.cli;

import dev.myelin.cli.bench.BenchCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code myelin} command-line tool. Subcommands talk to a homeserver over the
 * Matrix Client-Server API; failures are reported as one line on stderr with a non-zero exit code.
 */
@Command(
    name = "myelin",
    mixinStandardHelpOptions = true,
    versionProvider = Myelin.Version.class,
    description = "Tools for the Myelin Matrix homeserver.",
    subcommands = {BenchCommand.class, CommandLine.HelpCommand.class})
public final class Myelin implements Runnable {

  /** Exit code used when an HTTP call fails or the server answers with a Matrix error. */
  public static final int EXIT_FAILURE = 1;

  @Mixin private UrlOption url;

  @Spec private CommandSpec spec;

  /** Returns the homeserver URL option shared with the subcommands. */
  public UrlOption url() {
    return url;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the command line with the error handling every subcommand shares. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Myelin());
    cl.setExecutionExceptionHandler(Myelin::handleFailure);
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println("myelin: " + describe(e));
    err.flush();
    return EXIT_FAILURE;
  }

  /** One-line description of a failure, without a stack trace. */
  public static String describe(Throwable e) {
    if (e instanceof CliFailure) {
      return e.getMessage();
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect: " + (e.getMessage() == null ? "connection refused" : e.getMessage());
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "request timed out: " + e.getMessage();
    }
    if (e instanceof IOException) {
      Throwable cause = e.getCause();
      String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      return "I/O error: " + msg + (cause != null && cause != e ? " (" + describe(cause) + ")" : "");
    }
    if (e instanceof InterruptedException) {
      return "interrupted";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** Reads the version Maven wrote into {@code version.properties}. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = Myelin.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // fall through to "unknown"
      }
      return new String[] {
        "myelin " + p.getProperty("version", "unknown"),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
