package dev.vse.simulator;

import dev.vse.util.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A scripted estate read from YAML (or JSON, which is YAML): jobs, their sessions, and for each session a timeline
 * of State/Result/Progress changes at offsets from the simulator start. See {@code docs/simulator.md} for the format.
 * Missing ids are derived deterministically from the names, so a scenario serves the same GUIDs every time.
 */
public final class Scenario implements EstateDriver {
    private static final Set<String> JOB_KEYS = Set.of("name", "type", "id", "server", "serverId", "sessions");
    private static final Set<String> SESSION_KEYS = Set.of("id", "at", "retry", "isRetry", "vms", "state", "result",
            "progress", "end", "timeline", "reason");
    private static final Set<String> STEP_KEYS = Set.of("at", "state", "result", "progress", "end", "reason");

    private final Timeline timeline = new Timeline();
    private final int sessionCount;

    private Scenario(Map<String, Object> root, Instant start) {
        List<Object> jobs = list(root.get("jobs"), "jobs");
        int count = 0;
        int jobIndex = 0;
        for (Object j : jobs) {
            Map<String, Object> job = map(j, "job");
            checkKeys(job, JOB_KEYS, "job");
            jobIndex++;
            String name = str(job, "name", "Job " + jobIndex);
            Random ids = new Random(name.hashCode() * 31L + jobIndex);
            String type = str(job, "type", "Backup");
            String jobId = str(job, "id", Names.guid(ids));
            String server = str(job, "server", "vbr01.sim.local");
            String serverId = str(job, "serverId", Names.guid(new Random(server.hashCode())));
            int sessionIndex = 0;
            for (Object so : list(job.getOrDefault("sessions", List.of()), "sessions")) {
                Map<String, Object> sm = map(so, "session");
                checkKeys(sm, SESSION_KEYS, "session of job '" + name + "'");
                sessionIndex++;
                addSession(sm, start, name, type, jobId, server, serverId, ids, sessionIndex);
                count++;
            }
        }
        this.sessionCount = count;
    }

    /** Reads a scenario file (.yaml, .yml or .json). */
    public static Scenario load(Path file, Instant start) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), start);
    }

    /** Parses scenario text; throws {@link IllegalArgumentException} naming the problem. */
    public static Scenario parse(String text, Instant start) {
        Object root;
        try {
            root = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("scenario is not valid YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return new Scenario(map(root, "scenario"), start);
    }

    public int sessionCount() {
        return sessionCount;
    }

    @Override
    public void advanceTo(Instant t, SessionEstate estate) {
        timeline.runUntil(t, estate);
    }

    private void addSession(Map<String, Object> sm, Instant start, String jobName, String jobType, String jobId,
            String server, String serverId, Random ids, int index) {
        String id = str(sm, "id", Names.guid(ids));
        Instant created = start.plus(offset(sm.getOrDefault("at", "0s"), "at"));
        SimSession s = new SimSession("Replica".equalsIgnoreCase(jobType) ? SimSession.REPLICA : SimSession.BACKUP,
                id, jobId, jobName, jobType, created)
                .setBackupServerName(server).setBackupServerId(serverId)
                .setRetry(Boolean.parseBoolean(String.valueOf(sm.getOrDefault("retry", sm.getOrDefault("isRetry", false)))));
        int vmIndex = 0;
        for (Object vm : list(sm.getOrDefault("vms", List.of()), "vms")) {
            vmIndex++;
            SimTaskSession task = new SimTaskSession(Names.guid(ids), String.valueOf(vm), created.plusSeconds(1));
            task.setTotalSize(vmIndex * 10_737_418_240L);
            s.addTask(task);
        }
        applyStep(s, sm, start, created);
        timeline.schedule(created, e -> e.put(s));
        for (Object so : list(sm.getOrDefault("timeline", List.of()), "timeline")) {
            Map<String, Object> step = map(so, "timeline step");
            checkKeys(step, STEP_KEYS, "timeline step of session " + index + " of job '" + jobName + "'");
            if (!step.containsKey("at")) {
                throw new IllegalArgumentException("timeline step without 'at' in job '" + jobName + "'");
            }
            Instant at = start.plus(offset(step.get("at"), "at"));
            timeline.schedule(at, e -> e.update(id, x -> applyStep(x, step, start, at)));
        }
    }

    /** Applies state/result/progress/end/reason of a step (or of the session's initial values). */
    private static void applyStep(SimSession x, Map<String, Object> step, Instant start, Instant at) {
        if (step.containsKey("state")) {
            x.setState(String.valueOf(step.get("state")));
            if (!"Pending".equals(x.getState())) {
                x.getTasks().forEach(t -> t.setState("Stopped".equals(x.getState()) ? "Completed" : "InProgress"));
            }
        }
        if (step.containsKey("result")) {
            x.setResult(String.valueOf(step.get("result")));
        }
        if (step.containsKey("progress")) {
            x.setProgress(Integer.parseInt(String.valueOf(step.get("progress"))));
        }
        if (step.containsKey("end")) {
            x.setEndTime(start.plus(offset(step.get("end"), "end")));
        } else if ("Stopped".equals(x.getState()) && x.getEndTime() == null) {
            x.setEndTime(at);
        }
        if ("Stopped".equals(x.getState())) {
            String reason = step.containsKey("reason") ? String.valueOf(step.get("reason")) : "";
            for (SimTaskSession t : x.getTasks()) {
                t.setResult(x.getResult()).setEndTime(x.getEndTime()).setReason(reason);
            }
        }
    }

    private static Duration offset(Object v, String key) {
        if (v instanceof Number) {
            return Duration.ofMillis(Math.round(((Number) v).doubleValue() * 1000));
        }
        try {
            return Durations.parse(String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad '" + key + "' offset: " + e.getMessage());
        }
    }

    private static void checkKeys(Map<String, Object> m, Set<String> allowed, String where) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' in " + where + " (allowed: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a mapping");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String what) {
        if (o == null) {
            return new ArrayList<>();
        }
        if (!(o instanceof List)) {
            throw new IllegalArgumentException("'" + what + "' must be a list");
        }
        return (List<Object>) o;
    }

    private static String str(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }
}
