package dev.vse.app;

/** A configuration problem; its message is the one line the user reads before the process exits. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
