package dev.vse.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.testkit.EmbeddedKafka;
import dev.vse.testkit.PipelineHarness;
import dev.vse.testkit.PipelineProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop (SIGTERM, as Kubernetes sends it) while an EM request hangs: the EM accepted the connection and never
 * answers, so the request would only end with the read timeout (60 s by default). Kubernetes kills a pod that is
 * not gone 30 s after SIGTERM, and then nothing of a clean stop happens (the image's class-data archive is only
 * written on a clean stop). The real application runs in its own JVM with its production read timeout.
 */
class GracefulStopIT {
    /** Kubernetes' default {@code terminationGracePeriodSeconds}. */
    static final Duration KUBERNETES_GRACE = Duration.ofSeconds(30);

    @TempDir
    Path state;
    EmbeddedKafka kafka;
    ServerSocket silentEm;
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final CountDownLatch requested = new CountDownLatch(1);
    PipelineProcess child;

    @BeforeEach
    void start() throws IOException {
        kafka = EmbeddedKafka.start();
        silentEm = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silentEm.isClosed()) {
                try {
                    held.add(silentEm.accept()); // read nothing, answer nothing, close nothing
                    requested.countDown();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "silent-em");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (child != null) {
            child.close();
        }
        silentEm.close();
        for (Socket s : held) {
            s.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void givenAnEmRequestHanging_whenSigterm_thenTheProcessIsGoneWellWithinKubernetesGrace_withAZeroExit() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> o = PipelineHarness.overrides(kafka.bootstrapServers(), state,
                "http://127.0.0.1:" + silentEm.getLocalPort() + "/api", "completed-" + suffix, "failed-" + suffix,
                "changes-" + suffix, "dlq-" + suffix);
        o.remove("poll.retries");
        Path log = Path.of("target", "graceful-stop-" + suffix + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        child = PipelineProcess.start(o, log, "pipeline against an EM that never answers");
        assertThat(requested.await(90, TimeUnit.SECONDS)).as("the pipeline connected to the EM; see %s", log).isTrue();
        assertThat(child.awaitLine(0, l -> l.contains("Started poll-em01"), Duration.ofSeconds(30)))
                .as("poll route started; see %s", log).isGreaterThanOrEqualTo(0);
        Thread.sleep(1000); // the logon request is on the wire, waiting for an answer

        long t0 = System.nanoTime();
        child.stop(Duration.ofSeconds(90));
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("GracefulStopIT: stop with an EM request hanging took %d ms (exit %d)%n", stopMs, child.exitValue());

        assertThat(stopMs).as("SIGTERM to exit while an EM request hangs; see %s", log)
                .isLessThan(KUBERNETES_GRACE.minusSeconds(10).toMillis());
        assertThat(child.exitValue()).as("exit code of a clean stop; see %s", log).isIn(0, 143);
        assertThat(child.lines()).as("the abort, said in one line; see %s", log)
                .anyMatch(l -> l.contains("WARN") && l.contains("EM em01: stopping while 1 request(s) still wait for EM's answer: aborted"));
        assertThat(child.lines()).as("no stack trace on the way out; see %s", log).noneMatch(l -> l.startsWith("\tat "));
    }
}
