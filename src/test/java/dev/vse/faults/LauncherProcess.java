package dev.vse.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real launcher ({@code dev.vse.app.Launcher}) in a child JVM with this test's class path and an
 * environment that holds only what the test gives it (no EM_* or KAFKA_* leaking in from the build machine).
 * Output goes to files, so a chatty child never blocks on a full pipe.
 */
final class LauncherProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();

    private LauncherProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static LauncherProcess start(Map<String, String> env, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath(), "dev.vse.app.Launcher"));
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.createDirectories(dir);
        Path out = Files.createTempFile(dir, "stdout-", ".log");
        Path err = Files.createTempFile(dir, "stderr-", ".log");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new LauncherProcess(pb.start(), out, err);
    }

    /**
     * What users run: the shaded jar built by {@code mvn package} (failsafe runs after it). Without it (an IDE
     * run), this JVM's class path with every entry once: a class-path entry listed twice under two spellings
     * makes Camel find the YAML routes twice ("Route configuration already exists with id: vse-errors").
     */
    static String classPath() {
        Path jar = Path.of("target", "veeam-session-events.jar");
        if (Files.isRegularFile(jar)) {
            return jar.toAbsolutePath().toString();
        }
        java.util.LinkedHashMap<Path, String> unique = new java.util.LinkedHashMap<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            unique.putIfAbsent(Path.of(e).toAbsolutePath().normalize(), e);
        }
        return String.join(java.io.File.pathSeparator, unique.values());
    }

    /** Waits for the exit; fails the test (and kills the child) if it is still running after {@code limit}. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("launcher still running after " + limit + "; stderr: " + stderr() + "\nstdout tail: "
                    + tail(stdout(), 2000));
        }
        return process.exitValue();
    }

    /** Time from start to exit (or to now). */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** SIGTERM, as an orchestrator stops a container. */
    void terminate() {
        process.destroy();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** Non-empty lines of stderr. */
    List<String> stderrLines() {
        return stderr().lines().filter(l -> !l.isBlank()).toList();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
