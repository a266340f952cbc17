package dev.vse.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vse.testkit.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code npx -y @asyncapi/cli validate} on src/main/resources/asyncapi/asyncapi.yaml: the AsyncAPI parser and its
 * rules, with every referenced JSON Schema resolved. Skips itself where npx is not installed, or where the CLI
 * cannot be fetched from the npm registry; {@link AsyncApiDocumentTest} checks the document without Node.
 */
class AsyncApiCliIT {
    /** Pinned: the version tried here (it warns about Node < 24 for one dependency, and works on Node 20). */
    static final String CLI = "@asyncapi/cli@4.1.1";
    static final Path DOCUMENT = Path.of("src/main/resources/asyncapi/asyncapi.yaml");

    record Result(int exitCode, String output) { }

    private static Path npx;
    private static Path home;

    @BeforeAll
    static void cli(@TempDir Path dir) throws Exception {
        npx = Executables.onPath("npx").orElse(null);
        assumeTrue(npx != null, "npx not on the PATH: AsyncAPI CLI validation skipped");
        home = dir;
        // the CLI writes its analytics settings here; disabled, and CI=true keeps it from sending anything
        Files.writeString(home.resolve("asyncapi-analytics.json"),
                "{\"analyticsEnabled\":\"false\",\"infoMessageShown\":\"true\",\"userID\":\"vse-test\"}");
        Result version = run(List.of("--version"), 15);
        assumeTrue(version.exitCode() == 0, "AsyncAPI CLI not installable here (npm registry?): " + version.output());
    }

    @Test
    void cli_validatesTheDocument_withItsReferencedSchemas() throws Exception {
        Result r = run(List.of("validate", DOCUMENT.toString(), "--fail-severity", "warn"), 5);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("is valid").contains("0 errors, 0 warnings");
    }

    /** The same document with one dangling schema reference is refused: the check can fail. */
    @Test
    void cli_refusesADanglingSchemaReference(@TempDir Path dir) throws Exception {
        Path schemas = Files.createDirectories(dir.resolve("schema"));
        try (var files = Files.list(Path.of("src/main/resources/schema"))) {
            for (Path f : files.toList()) {
                Files.copy(f, schemas.resolve(f.getFileName()));
            }
        }
        Path broken = Files.createDirectories(dir.resolve("asyncapi")).resolve("asyncapi.yaml");
        String text = Files.readString(DOCUMENT, StandardCharsets.UTF_8);
        assertThat(text).contains("../schema/heartbeat.v1.json");
        Files.writeString(broken, text.replace("../schema/heartbeat.v1.json", "../schema/heartbeat.v0.json"));

        Result r = run(List.of("validate", broken.toString()), 5);
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("heartbeat.v0.json");
    }

    private static Result run(List<String> args, int minutes) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(npx.toString(), "-y", CLI));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CI", "true");
        env.put("ASYNCAPI_METRICS_CONFIG_PATH", home.resolve("asyncapi-analytics.json").toString());
        env.put("NO_COLOR", "1");
        env.put("npm_config_update_notifier", "false");
        env.put("npm_config_fund", "false");
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Result(-1, "npx " + String.join(" ", args) + " did not end within " + minutes + " min");
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
    }
}
