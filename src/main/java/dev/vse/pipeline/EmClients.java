package dev.vse.pipeline;

import dev.vse.em.EmSource;
import dev.vse.em.EmClient;
import dev.vse.em.EmRequestListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/** One {@link EmClient} per configured EM server, each with its own credentials, TLS and token. */
public final class EmClients implements AutoCloseable {
    private final Map<String, EmSource> sources = new LinkedHashMap<>();
    private final Map<String, EmClient> clients = new LinkedHashMap<>();

    public EmClients(CamelContext camel, List<EmSource> ems) {
        this(camel, ems, EmRequestListener.NONE);
    }

    /** As above; {@code listener} sees every EM request end (metrics). */
    public EmClients(CamelContext camel, List<EmSource> ems, EmRequestListener listener) {
        for (EmSource em : ems) {
            sources.put(em.id(), em);
            clients.put(em.id(), new EmClient(camel, em.server(), java.time.Clock.systemUTC(), listener));
        }
    }

    public EmSource source(String emId) {
        EmSource s = sources.get(emId);
        if (s == null) {
            throw new IllegalArgumentException("no EM server with id " + emId);
        }
        return s;
    }

    public EmClient client(String emId) {
        source(emId);
        return clients.get(emId);
    }

    public List<String> ids() {
        return List.copyOf(sources.keySet());
    }

    /** Aborts every request that still waits for its EM's answer ({@link EmClient#abortWaiting}); only for stopping. */
    public void abortWaiting() {
        clients.values().forEach(EmClient::abortWaiting);
    }

    /** Logs out of every EM (best effort). */
    @Override
    public void close() {
        clients.values().forEach(EmClient::close);
    }
}
