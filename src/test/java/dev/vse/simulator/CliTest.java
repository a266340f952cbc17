package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @Test
    void givenHelp_whenRunning_thenListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port", "--bind", "--user", "--password", "--scenario", "--jobs",
                "--seed", "--failure-rate", "--warning-rate", "--period", "--history", "--token-idle", "--collection-lag", "--page-size",
                "--tls-keystore", "--tls-keystore-password", "--fault-500-rate", "--fault-503-rate", "--fault-delay-rate", "--fault-delay",
                "--fault-reset-rate", "--fault-malformed-rate", "--fault-truncated-rate", "--fault-bom", "--fault-expire-after-pages", "--clock-offset",
                "--retry-timeout", "--max-retries", "--retry-off-rate", "--retry-failure-rate", "--unflagged-retry-rate", "--fail-path");
    }

    @Test
    void givenBadOptions_whenRunning_thenNonZeroWithOneLineReason() {
        assertThat(run("--port", "abc")).isEqualTo(2);
        assertThat(run("--frobnicate", "1")).isEqualTo(2);
        assertThat(run("--token-idle", "soon")).isEqualTo(2);
        assertThat(run("--failure-rate", "2")).isEqualTo(2);
        assertThat(run("--scenario", "/no/such/file.yaml")).isEqualTo(2);
        assertThat(run("--port")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(6).allMatch(l -> l.startsWith("simulator: "));
    }

    @Test
    void givenOptions_whenParsing_thenMapped() {
        SimulatorOptions o = SimulatorCli.parse(new String[] {"--port", "0", "--bind=127.0.0.1", "--user", "u", "--password", "p",
            "--jobs", "5", "--seed", "9", "--token-idle", "30s", "--collection-lag", "PT1M", "--page-size", "50",
            "--fault-bom", "--fault-500-rate", "0.1", "--fault-expire-after-pages", "3", "--history", "1h", "--period", "90s"});
        assertThat(o.port()).isZero();
        assertThat(o.bindHost()).isEqualTo("127.0.0.1");
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.tokenIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.collectionLag()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.defaultPageSize()).isEqualTo(50);
        assertThat(o.generator().jobs()).isEqualTo(5);
        assertThat(o.generator().seed()).isEqualTo(9);
        assertThat(o.generator().period()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.faults().toString()).contains("bom=true", "expireAfterPages=3");
    }

    @Test
    void givenNoOptionsButAnEphemeralPort_whenStarting_thenGeneratedEstateAnnounced() {
        assertThat(run("--port", "0", "--bind", "127.0.0.1")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("EM simulator serving http://127.0.0.1:", "as user 'admin'", "40 jobs")
                .doesNotContain("password");
    }

    @Test
    void givenPkcs12Keystore_whenStarting_thenServesHttps(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("em.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "em", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        SimulatorOptions o = SimulatorCli.parse(new String[] {"--port", "0", "--bind", "127.0.0.1", "--jobs", "2",
            "--tls-keystore", ks.toString(), "--tls-keystore-password", "changeit"});
        try (EmSimulator sim = EmSimulator.start(o)) {
            assertThat(sim.baseUrl()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            SimHttp http = new SimHttp(sim, HttpClient.newBuilder().sslContext(ctx).build()).logon();
            assertThat(http.get("/query?type=BackupJobSession").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void givenNegativeClockOffset_whenParsing_thenSimulatorClockShiftedBack() {
        assertThat(SimulatorCli.parse(new String[] {"--clock-offset", "-10m"}).clockOffset()).isEqualTo(Duration.ofMinutes(-10));
        assertThat(SimulatorCli.parse(new String[] {"--clock-offset=90s"}).clockOffset()).isEqualTo(Duration.ofSeconds(90));
        assertThat(SimulatorCli.parse(new String[] {"--clock-offset", "-PT1H"}).clockOffset()).isEqualTo(Duration.ofHours(-1));
        assertThat(SimulatorCli.parse(new String[0]).clockOffset()).isZero();
    }

    @Test
    void givenUnparseableClockOffset_whenRunning_thenExitTwo() {
        assertThat(run("--clock-offset", "ten minutes")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--clock-offset");
    }

    @Test
    void givenRetryAndFailPathOptions_whenParsing_thenGeneratorAndFaultsCarryThem() {
        SimulatorOptions o = SimulatorCli.parse(new String[] {"--retry-timeout", "10s", "--max-retries", "2", "--retry-off-rate", "0",
            "--retry-failure-rate", "1", "--unflagged-retry-rate", "0.5", "--fail-path", "taskSessions=500", "--fail-path=/jobs/=503"});
        GeneratorOptions g = o.generator();
        assertThat(g.retryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(g.maxRetries).isEqualTo(2);
        assertThat(g.retryOffRate).isZero();
        assertThat(g.retryFailureRate).isEqualTo(1.0);
        assertThat(g.unflaggedRetryRate).isEqualTo(0.5);
        assertThat(o.faults().failPaths).containsEntry("tasksessions", 500).containsEntry("/jobs/", 503);
        assertThat(run("--fail-path", "taskSessions")).isEqualTo(2);
        assertThat(run("--fail-path", "taskSessions=abc")).isEqualTo(2);
        assertThat(run("--fail-path", "taskSessions=42")).isEqualTo(2);
        assertThat(run("--max-retries", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(4).allMatch(l -> l.startsWith("simulator: "));
    }
}
