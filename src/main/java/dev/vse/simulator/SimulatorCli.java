package dev.vse.simulator;

import dev.vse.util.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar veeam-session-events.jar simulator [options]}: runs the EM simulator until interrupted.
 * Without options it serves a generated estate (40 jobs, seed 42) on port 9399 as admin/admin.
 */
public final class SimulatorCli {
    static final String HELP = String.join("\n",
            "Usage: simulator [options]   (a fake Veeam Enterprise Manager REST API, XML, under /api)",
            "  --port N                   listen port (default 9399; 0 = any free port)",
            "  --bind HOST                bind address (default 0.0.0.0)",
            "  --user NAME                logon user (default admin)",
            "  --password PASS            logon password (default admin)",
            "  --scenario FILE            scripted estate (.yaml/.yml/.json); replaces the generator",
            "  --jobs N                   generated jobs (default 40)",
            "  --seed N                   generator and fault seed (default 42); same seed, same estate",
            "  --failure-rate R           share of failed runs, 0..1 (default 0.1)",
            "  --warning-rate R           share of runs ending with a warning, 0..1 (default 0.15)",
            "  --period D                 a run per job every D, +-25% (default 2m)",
            "  --history D                finished sessions before start (default 2h)",
            "  --retry-timeout D          time between a failed run and its retry, for jobs with retries (default 2m;",
            "                             the job entity shows it rounded up to whole minutes, EM's unit)",
            "  --max-retries N            jobs with retries draw RetryTimes from 1..N (default 3)",
            "  --retry-off-rate R         share of jobs with retries off, RetrySpecified=false (default 0.25)",
            "  --retry-failure-rate R     chance that a retry fails again (default 0.5)",
            "  --unflagged-retry-rate R   share of retry sessions with IsRetry=false (default 0.3)",
            "  --token-idle D             token idle timeout (default 15m)",
            "  --collection-lag D         changes become visible in batches every D (default 0 = live)",
            "  --page-size N              query page size when pageSize is absent (default 100)",
            "  --clock-offset D           shift the simulator's clock by D, may be negative (-10m = an EM 10 minutes",
            "                             behind): timelines, sessions, lag, token expiry and the Date header (default 0)",
            "  --tls-keystore FILE        serve HTTPS with this PKCS12 keystore",
            "  --tls-keystore-password P  its password (also used for the key)",
            "  --fault-500-rate R         share of data requests answered 500 <Error>",
            "  --fault-503-rate R         share answered 503 <Error>",
            "  --fault-delay-rate R       share held for --fault-delay before answering",
            "  --fault-delay D            delay for delayed requests (default 30s)",
            "  --fault-reset-rate R       share whose connection is closed without a response",
            "  --fault-malformed-rate R   share answered 200 with malformed XML",
            "  --fault-truncated-rate R   share answered 200 with half a document",
            "  --fault-bom                start every body with a UTF-8 BOM",
            "  --fault-expire-after-pages N  a token expires after N query pages",
            "  --fail-path PART=STATUS    answer STATUS to every data request whose path contains PART",
            "                             (case-insensitive; repeatable), e.g. --fail-path taskSessions=500",
            "  --help                     this text",
            "Durations: 500ms, 30s, 15m, 2h, 1d or ISO-8601 (PT15M); a leading - makes them negative.");

    private SimulatorCli() { }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses options, starts the simulator and blocks until interrupted. Returns 0 on a clean stop, 2 on bad options. */
    public static int run(String[] args) {
        return run(args, System.out, System.err, true);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean block) {
        SimulatorOptions options;
        try {
            if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
                out.println(HELP);
                return 0;
            }
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("simulator: " + e.getMessage() + " (see --help)");
            return 2;
        }
        EmSimulator sim;
        try {
            sim = EmSimulator.start(options);
        } catch (IOException | RuntimeException e) {
            err.println("simulator: cannot start: " + e.getMessage());
            return 1;
        }
        out.println("EM simulator serving " + sim.baseUrl() + " as user '" + options.user + "': " + sim.estate().summary());
        if (!block) {
            sim.close();
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "em-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sim.close();
        }
        return 0;
    }

    static SimulatorOptions parse(String[] args) {
        SimulatorOptions o = SimulatorOptions.defaults();
        GeneratorOptions g = GeneratorOptions.defaults();
        FaultOptions f = FaultOptions.none().withSeed(42);
        Path scenario = null;
        Path keystore = null;
        String keystorePassword = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--fault-bom")) {
                f = f.withBom(true);
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--port": o = o.withPort(integer(name, value)); break;
                case "--bind": o = o.withBindHost(value); break;
                case "--user": o = o.withCredentials(value, o.password); break;
                case "--password": o = o.withCredentials(o.user, value); break;
                case "--scenario": scenario = Path.of(value); break;
                case "--jobs": g = g.withJobs(integer(name, value)); break;
                case "--seed": g = g.withSeed(integer(name, value)); f = f.withSeed(integer(name, value)); break;
                case "--failure-rate": g = g.withFailureRate(rate(name, value)); break;
                case "--warning-rate": g = g.withWarningRate(rate(name, value)); break;
                case "--period": g = g.withPeriod(duration(name, value)); break;
                case "--history": g = g.withHistory(duration(name, value)); break;
                case "--retry-timeout": g = g.withRetryTimeout(duration(name, value)); break;
                case "--max-retries": g = g.withMaxRetries(integer(name, value)); break;
                case "--retry-off-rate": g = g.withRetryOffRate(rate(name, value)); break;
                case "--retry-failure-rate": g = g.withRetryFailureRate(rate(name, value)); break;
                case "--unflagged-retry-rate": g = g.withUnflaggedRetryRate(rate(name, value)); break;
                case "--token-idle": o = o.withTokenIdleTimeout(duration(name, value)); break;
                case "--collection-lag": o = o.withCollectionLag(duration(name, value)); break;
                case "--page-size": o = o.withDefaultPageSize(integer(name, value)); break;
                case "--clock-offset": o = o.withClockOffset(duration(name, value)); break;
                case "--tls-keystore": keystore = Path.of(value); break;
                case "--tls-keystore-password": keystorePassword = value; break;
                case "--fault-500-rate": f = f.withError500Rate(rate(name, value)); break;
                case "--fault-503-rate": f = f.withError503Rate(rate(name, value)); break;
                case "--fault-delay-rate": f = f.withDelayRate(rate(name, value)); break;
                case "--fault-delay": f = f.withDelay(duration(name, value)); break;
                case "--fault-reset-rate": f = f.withResetRate(rate(name, value)); break;
                case "--fault-malformed-rate": f = f.withMalformedRate(rate(name, value)); break;
                case "--fault-truncated-rate": f = f.withTruncatedRate(rate(name, value)); break;
                case "--fault-expire-after-pages": f = f.withExpireTokenAfterPages(integer(name, value)); break;
                case "--fail-path": f = failPath(f, name, value); break;
                default: throw new IllegalArgumentException("unknown option " + a);
            }
        }
        o = scenario != null ? o.withScenario(requireFile(scenario, "--scenario")) : o.withGenerator(g);
        if (keystore != null) {
            o = o.withTls(loadKeyStore(requireFile(keystore, "--tls-keystore"), keystorePassword), 
                    keystorePassword == null ? new char[0] : keystorePassword.toCharArray());
        }
        return o.withFaults(f);
    }

    /** {@code PART=STATUS}, split at the last {@code =}. */
    private static FaultOptions failPath(FaultOptions f, String name, String v) {
        int eq = v.lastIndexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(name + " expects PART=STATUS, got '" + v + "'");
        }
        int status = integer(name, v.substring(eq + 1));
        try {
            return f.withFailPath(v.substring(0, eq), status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    private static KeyStore loadKeyStore(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password == null ? new char[0] : password.toCharArray());
            return ks;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read keystore " + file + ": " + e.getMessage());
        }
    }

    private static Path requireFile(Path p, String option) {
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(option + ": cannot read " + p);
        }
        return p;
    }

    private static int integer(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got '" + v + "'");
        }
    }

    private static double rate(String name, String v) {
        try {
            double r = Double.parseDouble(v.trim());
            if (r < 0 || r > 1) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a rate between 0 and 1, got '" + v + "'");
        }
    }

    private static java.time.Duration duration(String name, String v) {
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }
}
