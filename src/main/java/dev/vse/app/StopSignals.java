package dev.vse.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C (SIGINT) as a clean stop with exit code 0. Left to the JVM, either signal starts the
 * shutdown sequence and the process ends with 143 / 130 however cleanly the pipeline stopped (the
 * {@code System.exit(0)} after it would block behind the running shutdown hooks). Here the signal only asks
 * the pipeline to finish; {@code main} then returns normally and exits 0.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() { }

    /** Routes TERM and INT to {@code stop}; a platform without one of them keeps the JVM default for it. */
    static void install(Runnable stop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    LOG.info("SIG{} received, stopping", name);
                    stop.run();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
