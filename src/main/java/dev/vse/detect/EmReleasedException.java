package dev.vse.detect;

/**
 * This instance does not own the EM (any more): another producer with the same {@code transactional.id} fenced it,
 * or the EM was released. Nothing was written; the EM must not be polled here until it is taken again.
 */
public final class EmReleasedException extends RuntimeException {
    private final String emId;

    public EmReleasedException(String emId, String message, Throwable cause) {
        super(message, cause);
        this.emId = emId;
    }

    public String emId() {
        return emId;
    }
}
