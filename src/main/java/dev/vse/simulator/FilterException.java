package dev.vse.simulator;

/** A query filter that cannot be parsed or names an unknown field; becomes a 400 {@code <Error>}. */
public final class FilterException extends RuntimeException {
    public FilterException(String message) {
        super(message);
    }
}
