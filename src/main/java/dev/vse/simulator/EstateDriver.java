package dev.vse.simulator;

import java.time.Instant;

/** Moves an estate forward in time (scenario timeline or generator). Called lazily, before the API takes a snapshot. */
public interface EstateDriver {
    /** Applies every change due at or before {@code t}. Calls come with non-decreasing {@code t}. */
    void advanceTo(Instant t, SessionEstate estate);
}
