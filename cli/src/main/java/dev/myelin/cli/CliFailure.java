package dev.myelin.cli;

/**
 * A failure whose message is already fit for the user: printed as-is on stderr, without a stack
 * trace, and the tool exits non-zero. Matrix errors from the server are a subclass.
 */
public class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliFailure(String message) {
    super(message);
  }

  public CliFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
