package dev.vse.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vse.testkit.Executables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool} (Debian package prometheus; .ci/run installs it); tests skip themselves without it. */
final class Promtool {
    record Result(int exitCode, String output) { }

    private Promtool() { }

    /** Skips the calling test when promtool is not installed. */
    static Path require() {
        Optional<Path> promtool = Executables.onPath("promtool");
        assumeTrue(promtool.isPresent(), "promtool not on the PATH (apt-get install -y prometheus): skipped");
        return promtool.get();
    }

    /** {@code promtool <args>}, in the project folder, output and errors together. */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not end within 2 minutes");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
