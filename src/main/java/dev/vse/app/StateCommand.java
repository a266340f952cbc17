package dev.vse.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vse.detect.FileStateStore;
import dev.vse.detect.SessionSnapshot;
import dev.vse.detect.StoredState;
import dev.vse.incident.IncidentState;
import dev.vse.util.Durations;
import dev.vse.util.OneLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code veeam-session-events state [--em ID] [--stuck-after 24h] [--json]}: what the state store under
 * {@code STATE_DIR} holds, per EM — watermark and baseline instant per session type, sessions tracked, running and
 * stuck. Reads the files without their lock, so it runs beside the pipeline; it never writes anything.
 * Exit codes: 0, 1 when the state of some EM could not be read (the others are printed), 2 for a usage error, a
 * missing or unreadable {@code STATE_DIR} or an EM without state.
 */
public final class StateCommand {
    static final String USAGE = "usage: java -jar veeam-session-events.jar state [--em ID] [--stuck-after 24h] [--json]";
    private static final int MAX_STUCK_LISTED = 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StateCommand() { }

    /** Runs the command; returns the exit code. {@code STATE_DIR} is read from {@code env} / {@code overrides}. */
    public static int run(String[] args, Map<String, String> env, Map<String, String> overrides, PrintStream out,
                          PrintStream err, Clock clock) {
        String emId = null;
        Duration stuckAfter = Duration.ofHours(24);
        boolean json = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--em" -> emId = value(args, ++i, "--em");
                    case "--stuck-after" -> stuckAfter = positive(value(args, ++i, "--stuck-after"));
                    case "--json" -> json = true;
                    case "--help", "-h" -> {
                        help(out);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("veeam-session-events state: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        Path root;
        try {
            String dir = Settings.load(env, overrides).get("state.dir");
            if (dir == null) {
                throw new ConfigException("STATE_DIR is not set");
            }
            root = Path.of(dir);
        } catch (ConfigException e) {
            err.println("veeam-session-events state: configuration error: " + e.getMessage());
            return 2;
        }
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            err.println("veeam-session-events state: STATE_DIR " + root.toAbsolutePath() + " is "
                    + (Files.exists(root) ? "not a readable directory" : "missing"));
            return 2;
        }
        FileStateStore store = new FileStateStore(root);  // opens nothing: only inspect* is called
        List<StoredState> states = new ArrayList<>();
        List<String[]> errors = new ArrayList<>();
        try {
            if (emId != null) {
                states.add(store.inspect(emId));
            } else {
                for (Path d : store.emDirectories()) {
                    try {
                        states.add(FileStateStore.inspectDirectory(d));
                    } catch (IOException | RuntimeException e) {
                        errors.add(new String[] {d.getFileName().toString(), d.toString(), OneLine.message(e)});
                    }
                }
            }
        } catch (NoSuchFileException e) {
            err.println("veeam-session-events state: no state of EM '" + emId + "' in " + store.directoryOf(emId));
            return 2;
        } catch (IOException | RuntimeException e) {
            if (emId == null) {
                err.println("veeam-session-events state: cannot read STATE_DIR " + root + ": " + OneLine.message(e));
                return 2;
            }
            errors.add(new String[] {emId, store.directoryOf(emId).toString(), OneLine.message(e)});
        }
        Instant now = clock.instant();
        Duration stuck = stuckAfter;
        List<Report> reports = states.stream().map(s -> Report.of(s, now, stuck)).toList();
        if (json) {
            printJson(out, root, now, stuckAfter, reports, errors);
        } else {
            printText(out, root, stuckAfter, now, reports, errors);
        }
        for (String[] e : errors) {
            err.println("veeam-session-events state: cannot read the state of " + e[0] + " in " + e[1] + ": " + e[2]);
        }
        return errors.isEmpty() ? 0 : 1;
    }

    static void help(PrintStream out) {
        out.println(USAGE);
        out.println("  Prints, per EM under STATE_DIR, the watermark and baseline instant per session type and the");
        out.println("  sessions tracked, running and stuck, and the job incidents open or pending. Reads the files without their lock: safe while the");
        out.println("  pipeline runs; writes nothing.");
        out.println("  --em ID             only this EM (default: every EM folder under STATE_DIR)");
        out.println("  --stuck-after DUR   a running session without a change for longer is stuck (default 24h)");
        out.println("  --json              JSON instead of text");
        out.println("  exit 0; 1 when some EM's state could not be read; 2 for a usage error or a missing STATE_DIR");
    }

    /** One EM, counted. */
    record Report(StoredState state, List<TypeRow> types, int tracked, int running, List<SessionSnapshot> stuck) {
        static Report of(StoredState s, Instant now, Duration stuckAfter) {
            Instant stuckBefore = now.minus(stuckAfter);
            Set<String> names = new TreeSet<>();
            names.addAll(s.watermarks().keySet());
            names.addAll(s.baselines().keySet());
            s.sessions().forEach(x -> names.add(String.valueOf(x.sessionType())));
            List<SessionSnapshot> running = s.sessions().stream().filter(SessionSnapshot::isRunning).toList();
            List<SessionSnapshot> stuck = running.stream().filter(x -> isStuck(x, stuckBefore))
                    .sorted(Comparator.comparing(StateCommand::lastChange, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            List<TypeRow> rows = new ArrayList<>();
            for (String type : names) {
                rows.add(new TypeRow(type, s.watermarks().get(type), s.baselines().get(type),
                        count(s.sessions(), type), count(running, type), count(stuck, type)));
            }
            return new Report(s, rows, s.sessions().size(), running.size(), stuck);
        }

        private static int count(List<SessionSnapshot> sessions, String type) {
            return (int) sessions.stream().filter(x -> type.equals(String.valueOf(x.sessionType()))).count();
        }
    }

    record TypeRow(String sessionType, Instant watermark, Instant baseline, int tracked, int running, int stuck) { }

    /** Running, and its tracked fields last changed (or, lacking that, it was created) before the bound. */
    static boolean isStuck(SessionSnapshot s, Instant stuckBefore) {
        Instant at = lastChange(s);
        return s.isRunning() && at != null && at.isBefore(stuckBefore);
    }

    private static Instant lastChange(SessionSnapshot s) {
        return s.lastChanged() != null ? s.lastChanged() : s.creationTime();
    }

    private static void printText(PrintStream out, Path root, Duration stuckAfter, Instant now, List<Report> reports,
                                  List<String[]> errors) {
        if (reports.isEmpty() && errors.isEmpty()) {
            out.println("no EM state in " + root.toAbsolutePath());
            return;
        }
        for (Report r : reports) {
            StoredState s = r.state();
            out.printf("EM %s  (%s; snapshot generation %d, %d journal records%s)%n", s.emId(), s.directory().toAbsolutePath(),
                    s.generation(), s.journalRecords(), s.incompleteJournalBytes() == 0 ? ""
                            : ", " + s.incompleteJournalBytes() + " bytes of an incomplete last record skipped");
            out.printf("  %-20s %-32s %-24s %8s %8s %6s%n", "session type", "watermark", "baseline", "tracked",
                    "running", "stuck");
            for (TypeRow t : r.types()) {
                out.printf("  %-20s %-32s %-24s %8d %8d %6d%n", t.sessionType(), withAge(t.watermark(), now),
                        t.baseline() == null ? "-" : t.baseline().toString(), t.tracked(), t.running(), t.stuck());
            }
            out.printf("  %-20s %-32s %-24s %8d %8d %6d%n", "total", "", "", r.tracked(), r.running(), r.stuck().size());
            List<IncidentState> incidents = incidents(s);
            if (!incidents.isEmpty()) {
                out.println("  job incidents (open: em.job.failed.v1 published; pending: waiting for a retry):");
                incidents.forEach(i -> out.printf("    %-7s job \"%s\" (%s)  %d attempt(s)  last failure ended %s%s%n",
                        i.phase() == IncidentState.Phase.OPEN ? "open" : "pending", i.jobName(), i.jobUid(),
                        i.attempts(), i.lastFailedEnd(), i.phase() == IncidentState.Phase.OPEN
                                ? "  opened " + withAge(i.openedAt(), now)
                                : i.retryRunningUid() != null ? "  retry running " + i.retryRunningUid()
                                : "  fails at " + i.deadline()));
            }
            if (!r.stuck().isEmpty()) {
                out.println("  stuck (running, no change of state/result/end time for more than "
                        + Durations.format(stuckAfter) + "):");
                r.stuck().stream().limit(MAX_STUCK_LISTED).forEach(x -> out.printf(
                        "    %s  job \"%s\"  %s/%s  created %s  last change %s%n", x.uid(), x.jobName(), x.state(),
                        x.result(), x.creationTime(), withAge(lastChange(x), now)));
                if (r.stuck().size() > MAX_STUCK_LISTED) {
                    out.println("    ... and " + (r.stuck().size() - MAX_STUCK_LISTED) + " more (--json lists all)");
                }
            }
        }
    }

    private static String withAge(Instant t, Instant now) {
        if (t == null) {
            return "-";
        }
        Duration age = Duration.between(t, now);
        if (age.isNegative()) {
            return t.toString();
        }
        return t + " (" + (age.toHours() >= 48 ? age.toDays() + "d" : age.toMinutes() >= 120 ? age.toHours() + "h"
                : age.toSeconds() >= 120 ? age.toMinutes() + "m" : age.toSeconds() + "s") + " ago)";
    }

    private static void printJson(PrintStream out, Path root, Instant now, Duration stuckAfter, List<Report> reports,
                                  List<String[]> errors) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("stateDir", root.toAbsolutePath().toString());
        doc.put("now", now.toString());
        doc.put("stuckAfter", stuckAfter.toString());
        ArrayNode ems = doc.putArray("ems");
        for (Report r : reports) {
            StoredState s = r.state();
            ObjectNode em = ems.addObject();
            em.put("emId", s.emId());
            em.put("directory", s.directory().toAbsolutePath().toString());
            em.put("generation", s.generation());
            em.put("journalRecords", s.journalRecords());
            em.put("incompleteJournalBytes", s.incompleteJournalBytes());
            ObjectNode types = em.putObject("sessionTypes");
            for (TypeRow t : r.types()) {
                ObjectNode type = types.putObject(t.sessionType());
                type.put("watermark", t.watermark() == null ? null : t.watermark().toString());
                type.put("baseline", t.baseline() == null ? null : t.baseline().toString());
                type.put("tracked", t.tracked());
                type.put("running", t.running());
                type.put("stuck", t.stuck());
            }
            em.put("tracked", r.tracked());
            em.put("running", r.running());
            ArrayNode incidents = em.putArray("jobIncidents");
            for (IncidentState i : incidents(s)) {
                try {
                    incidents.add(JSON.readTree(i.encode()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            ArrayNode stuck = em.putArray("stuck");
            for (SessionSnapshot x : r.stuck()) {
                ObjectNode n = stuck.addObject();
                n.put("uid", x.uid());
                n.put("sessionType", x.sessionType());
                n.put("jobName", x.jobName());
                n.put("state", x.state());
                n.put("result", x.result());
                n.put("creationTime", x.creationTime() == null ? null : x.creationTime().toString());
                n.put("lastChanged", lastChange(x) == null ? null : lastChange(x).toString());
                n.put("href", x.href());
            }
        }
        ArrayNode errs = doc.putArray("errors");
        for (String[] e : errors) {
            errs.addObject().put("emId", e[0]).put("directory", e[1]).put("error", e[2]);
        }
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored job incidents of an EM, open ones first, then by job name. */
    private static List<IncidentState> incidents(StoredState s) {
        return s.incidents().values().stream().map(IncidentState::decode)
                .sorted(Comparator.comparing((IncidentState i) -> i.phase() != IncidentState.Phase.OPEN)
                        .thenComparing(i -> String.valueOf(i.jobName())))
                .toList();
    }

    static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Duration positive(String text) {
        Duration d = Durations.parse(text);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("--stuck-after must be positive, got '" + text + "'");
        }
        return d;
    }
}
