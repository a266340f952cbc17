package dev.vse.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Plain java.net.http access to a running simulator (no cookie store, like the pipeline should be). */
final class SimHttp {
    final EmSimulator sim;
    final HttpClient client;
    String token;
    String user = "admin";
    String password = "admin";

    SimHttp(EmSimulator sim) {
        this(sim, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    SimHttp(EmSimulator sim, HttpClient client) {
        this.sim = sim;
        this.client = client;
    }

    HttpResponse<byte[]> logon(String user, String password) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sessionMngr/?v=latest"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return send(r);
    }

    SimHttp logon() {
        HttpResponse<byte[]> r = logon(user, password);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("logon failed: " + r.statusCode());
        }
        token = r.headers().firstValue("X-RestSvcSessionId").orElseThrow();
        return this;
    }

    /** GET {@code pathAndQuery} relative to /api with the token header. */
    HttpResponse<byte[]> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("X-RestSvcSessionId", token);
        }
        return b;
    }

    HttpResponse<byte[]> send(HttpRequest r) {
        try {
            return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    static SimSession session(String id, String jobName, String state, String result, java.time.Instant created) {
        return new SimSession(SimSession.BACKUP, id, "4856ab37-2235-45e8-affe-d515878b01a9", jobName, "Backup", created)
                .setState(state).setResult(result);
    }
}
