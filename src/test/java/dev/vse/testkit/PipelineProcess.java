package dev.vse.testkit;

import dev.vse.app.Launcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real pipeline in a child JVM ({@code java -cp <this JVM's class path> PipelineProcess key=value ...}),
 * so that a test can kill it abruptly: {@link #kill()} is SIGKILL, no shutdown hook runs, nothing is flushed.
 * The child's output goes to a log file (appended across restarts) and is watched line by line, so a test
 * can wait for a log line (e.g. an event being published) before it strikes.
 */
public final class PipelineProcess implements AutoCloseable {
    private final Process process;
    private final Thread pump;
    private final List<String> lines = new ArrayList<>();

    private PipelineProcess(Process process, Path log, String banner) throws IOException {
        this.process = process;
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        out.println("===== " + banner + " (pid " + process.pid() + ")");
        this.pump = new Thread(() -> {
            try (out; BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException closed) {
                // the child died mid-line: nothing more to read
            }
        }, "pipeline-child-" + process.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /** Child entry point: {@code key=value} arguments are configuration overrides; environment ignored. */
    public static void main(String[] args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            overrides.put(a.substring(0, eq), a.substring(eq + 1));
        }
        System.exit(Launcher.runPipeline(Map.of(), overrides));
    }

    /** Starts a child JVM running the pipeline with {@code overrides}; its output is appended to {@code log}. */
    public static PipelineProcess start(Map<String, String> overrides, Path log, String banner) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small and quick to start: this JVM lives a few seconds at a time
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(PipelineProcess.class.getName());
        overrides.forEach((k, v) -> cmd.add(k + "=" + v));
        try {
            if (!overrides.containsKey("camel.management.port")) {
                // not the bundled 9876: several children may run at once, and whatever else runs here may hold it
                cmd.add("camel.management.port=" + EmFleet.freePort());
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return new PipelineProcess(p, log, banner);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the pipeline JVM: " + e.getMessage(), e);
        }
    }

    /**
     * This JVM's class path without empty entries: failsafe's ends with one, which the child would read as
     * "the working directory" and so find the project's top-level {@code routes/} folder a second time.
     */
    static String classPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits up to {@code timeout} for an output line (from index {@code from} on) matching {@code match};
     * returns its index, or -1 on timeout or when the child has exited.
     */
    public int awaitLine(int from, Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int i = from;
            while (true) {
                for (; i < lines.size(); i++) {
                    if (match.test(lines.get(i))) {
                        return i;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    return -1;
                }
                lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        }
    }

    public int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** SIGKILL, then waits until the process is gone (its files closed by the OS). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
        pump.join(5_000);
    }

    /** SIGTERM (graceful: Camel stops, the store closes), then waits; SIGKILL if it takes too long. */
    public void stop(Duration grace) throws InterruptedException {
        // through the handle: Process.destroy() would also close our end of the child's output, and with it every
        // line the child logs while it stops
        process.toHandle().destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        pump.join(5_000);
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
