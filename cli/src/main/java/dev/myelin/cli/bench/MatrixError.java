package dev.myelin.cli.bench;

import dev.myelin.cli.CliFailure;

/** A non-2xx answer from the homeserver, carrying the Matrix {@code errcode} and {@code error}. */
public final class MatrixError extends CliFailure {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String errcode;

  public MatrixError(String request, int status, String errcode, String error) {
    super(
        request
            + " failed: HTTP "
            + status
            + (errcode == null ? "" : " " + errcode)
            + (error == null || error.isEmpty() ? "" : ": " + error));
    this.status = status;
    this.errcode = errcode;
  }

  public int status() {
    return status;
  }

  /** The Matrix error code such as {@code M_FORBIDDEN}, or {@code null} if the body had none. */
  public String errcode() {
    return errcode;
  }
}
