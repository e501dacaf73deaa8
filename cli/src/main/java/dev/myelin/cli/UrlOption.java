package dev.myelin.cli;

import java.net.URI;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Picocli mixin holding the homeserver base URL ({@code --url}). Declared on the top command with
 * inherited scope, so it is accepted both before and after a subcommand name.
 */
public final class UrlOption {

  /** The default: a homeserver listening on the loopback interface. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8008";

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      defaultValue = DEFAULT_URL,
      paramLabel = "URL",
      description = "Homeserver base URL (default: ${DEFAULT-VALUE}).")
  private String url = DEFAULT_URL;

  /** Returns the base URL without a trailing slash. */
  public URI uri() {
    String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return URI.create(u);
  }
}
