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
 * A scripted estate read from YAML (or JSON, which is YAML): jobs with their retry policy, their sessions with
 * their VMs (task sessions), and for each session a timeline of State/Result/Progress changes at offsets from the
 * simulator start. The retry policy is only declared (served on the job entity): retry sessions are scripted like
 * any other. See {@code docs/simulator.md} for the format. Missing ids are derived deterministically from the names,
 * so a scenario serves the same GUIDs every time.
 */
public final class Scenario implements EstateDriver {
    private static final Set<String> JOB_KEYS = Set.of("name", "type", "id", "server", "serverId", "retry", "sessions");
    private static final Set<String> RETRY_KEYS = Set.of("times", "timeout");
    private static final Set<String> VM_KEYS = Set.of("name", "result", "reason");
    private static final Set<String> SESSION_KEYS = Set.of("id", "at", "retry", "isRetry", "vms", "state", "result",
            "progress", "end", "timeline", "reason");
    private static final Set<String> STEP_KEYS = Set.of("at", "state", "result", "progress", "end", "reason");

    private final Timeline timeline = new Timeline();
    private final List<SimJob> declaredJobs = new ArrayList<>();
    private final int sessionCount;
    private boolean jobsRegistered;

    /** A VM's own outcome, overriding the session's result and the step's reason when it is Stopped. */
    private record VmOutcome(String result, String reason) { }

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
            declaredJobs.add(retry(new SimJob(jobId, name, type).setBackupServerName(server).setBackupServerId(serverId),
                    job.get("retry")));
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
        if (!jobsRegistered) {
            declaredJobs.forEach(estate::putJob);
            jobsRegistered = true;
        }
        timeline.runUntil(t, estate);
    }

    /** {@code retry: off} (or {@code false}), {@code retry: {times: 2, timeout: 5m}}; absent: VBR's defaults. */
    private static SimJob retry(SimJob job, Object v) {
        if (v == null) {
            return job;
        }
        if (Boolean.FALSE.equals(v) || "off".equalsIgnoreCase(String.valueOf(v))) {
            return job.setRetry(false, SimJob.DEFAULT_RETRY_TIMES, SimJob.DEFAULT_RETRY_TIMEOUT);
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("'retry' of job '" + job.getName() + "' must be 'off' or {times: N, timeout: D}");
        }
        Map<String, Object> m = map(v, "retry");
        checkKeys(m, RETRY_KEYS, "retry of job '" + job.getName() + "'");
        int times;
        try {
            times = Integer.parseInt(String.valueOf(m.getOrDefault("times", SimJob.DEFAULT_RETRY_TIMES)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'times' in retry of job '" + job.getName() + "' must be a number");
        }
        Duration timeout = m.containsKey("timeout") ? offset(m.get("timeout"), "timeout") : SimJob.DEFAULT_RETRY_TIMEOUT;
        return job.setRetry(true, times, timeout);
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
        List<VmOutcome> outcomes = new ArrayList<>();
        for (Object vm : list(sm.getOrDefault("vms", List.of()), "vms")) {
            vmIndex++;
            String vmName = String.valueOf(vm);
            VmOutcome outcome = new VmOutcome(null, null);
            if (vm instanceof Map) {
                Map<String, Object> vmMap = map(vm, "vm");
                checkKeys(vmMap, VM_KEYS, "vm of session " + index + " of job '" + jobName + "'");
                if (!vmMap.containsKey("name")) {
                    throw new IllegalArgumentException("vm without 'name' in job '" + jobName + "'");
                }
                vmName = String.valueOf(vmMap.get("name"));
                outcome = new VmOutcome(str(vmMap, "result", null), str(vmMap, "reason", null));
            }
            SimTaskSession task = new SimTaskSession(Names.guid(ids), vmName, created.plusSeconds(1));
            task.setTotalSize(vmIndex * 10_737_418_240L);
            s.addTask(task);
            outcomes.add(outcome);
        }
        applyStep(s, sm, start, created, outcomes);
        timeline.schedule(created, e -> e.put(s));
        for (Object so : list(sm.getOrDefault("timeline", List.of()), "timeline")) {
            Map<String, Object> step = map(so, "timeline step");
            checkKeys(step, STEP_KEYS, "timeline step of session " + index + " of job '" + jobName + "'");
            if (!step.containsKey("at")) {
                throw new IllegalArgumentException("timeline step without 'at' in job '" + jobName + "'");
            }
            Instant at = start.plus(offset(step.get("at"), "at"));
            timeline.schedule(at, e -> e.update(id, x -> applyStep(x, step, start, at, outcomes)));
        }
    }

    /**
     * Applies state/result/progress/end/reason of a step (or of the session's initial values). Reaching Stopped
     * completes the VMs: each gets its own result, else the session's; its own reason, else none when it succeeded,
     * else the step's.
     */
    private static void applyStep(SimSession x, Map<String, Object> step, Instant start, Instant at, List<VmOutcome> outcomes) {
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
            for (int i = 0; i < x.getTasks().size(); i++) {
                VmOutcome own = i < outcomes.size() ? outcomes.get(i) : new VmOutcome(null, null);
                String result = own.result() != null ? own.result() : x.getResult();
                String why = own.reason() != null ? own.reason() : "Success".equals(result) ? "" : reason;
                x.getTasks().get(i).setResult(result).setEndTime(x.getEndTime()).setReason(why);
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
