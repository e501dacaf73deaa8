package dev.myelin.homeserver.config;

/** A setting that is missing or wrong; the server reports it and exits with status 2. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
