package dev.vse.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Prometheus Alertmanager (Debian package {@code prometheus-alertmanager}, or an {@code alertmanager} binary on
 * the PATH) started as a child process on a free loopback port, clustering off, with a minimal configuration (one
 * receiver that sends nothing) and its storage in a folder of the test. It can be stopped and started again on the
 * same port; its alerts live in memory only, so a restarted Alertmanager knows none until they are sent again.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            route:
              receiver: blackhole
              group_by: [alertname, incident_key]
            receivers:
              - name: blackhole
            """;
    private final Path binary;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private AlertmanagerProcess(Path binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** The binary on the PATH, if any. */
    public static Optional<Path> binary() {
        return Executables.onPath("prometheus-alertmanager").or(() -> Executables.onPath("alertmanager"));
    }

    /** Starts it in {@code dir} (config, storage, log) and waits until {@code /-/ready} answers 200. */
    public static AlertmanagerProcess start(Path binary, Path dir) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("alertmanager.yml"), CONFIG);
        Files.createDirectories(dir.resolve("data"));
        AlertmanagerProcess am = new AlertmanagerProcess(binary, dir, port);
        am.start();
        return am;
    }

    /** Starts it (again) on its port. */
    public void start() throws IOException {
        process = new ProcessBuilder(binary.toString(),
                "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("alertmanager.log").toFile()))
                .start();
        Awaitility.await("Alertmanager ready on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Alertmanager exited with " + process.exitValue() + ": "
                                + Files.readString(dir.resolve("alertmanager.log")));
                    }
                    return status("/-/ready") == 200;
                });
    }

    /** Stops it (SIGTERM, then a kill after 10 s); its alerts are gone. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code GET /api/v2/alerts}: the alerts Alertmanager holds that have not ended (active, silenced, inhibited, unprocessed). */
    public List<JsonNode> alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts")).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v2/alerts: HTTP " + r.statusCode() + " " + r.body());
        }
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    /** The alert whose label {@code incident_key} is {@code key}, if Alertmanager lists it. */
    public Optional<JsonNode> alert(String key) throws IOException, InterruptedException {
        return alerts().stream().filter(a -> key.equals(a.path("labels").path("incident_key").asText())).findFirst();
    }

    private int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
