package dev.vse.detect;

/** A session EM returned without the fields detection cannot do without; the route sends it to the DLQ. */
public class InvalidSessionException extends IllegalArgumentException {
    public InvalidSessionException(String message) {
        super(message);
    }
}
