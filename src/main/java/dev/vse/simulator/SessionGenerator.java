package dev.vse.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a living estate: jobs of mixed types whose runs start every period (± jitter), move through
 * Starting → Working (→ an undocumented state now and then) → Stopped with Success/Warning/Failed, and whose
 * failures are retried by new sessions with {@code IsRetry=true}. Runs before the start instant form the
 * history. Deterministic: each job draws from its own random seeded from the options' seed, so the same seed and
 * the same start instant give the same estate however often {@link #advanceTo} is called.
 */
public final class SessionGenerator implements EstateDriver {
    private static final String[][] MIX = {
        {"Backup", "45"}, {"BackupCopy", "15"}, {"AgentBackup", "15"}, {"NasBackup", "10"}, {"Replica", "15"}};
    private static final String[] UNKNOWN_STATES = {"WaitingRepository", "Postprocessing", "WaitingSlot", "Idle"};
    private static final String[] REASONS = {
        "Error: Failed to create VM snapshot. Timed out.", "Error: Repository is out of space.",
        "Error: Unable to connect to the agent.", "Warning: Changed block tracking is disabled.",
        "Warning: Low free space on the datastore."};

    private final GeneratorOptions o;
    private final Timeline timeline = new Timeline();
    private final List<Job> jobs = new ArrayList<>();

    private static final class Job {
        final Random random;
        final String id;
        final String name;
        final String type;
        final String serverId;
        final String serverName;
        final List<String> vms = new ArrayList<>();
        Instant nextStart;

        Job(Random random, String id, String name, String type, String serverId, String serverName) {
            this.random = random;
            this.id = id;
            this.name = name;
            this.type = type;
            this.serverId = serverId;
            this.serverName = serverName;
        }
    }

    public SessionGenerator(GeneratorOptions options, Instant start) {
        this.o = options;
        Random setup = new Random(options.seed);
        String[][] servers = {{Names.guid(setup), "vbr01.sim.local"}, {Names.guid(setup), "vbr02.sim.local"}};
        for (int i = 0; i < options.jobs; i++) {
            Random r = new Random(options.seed * 1_000_003L + i);
            String type = pickType(r);
            String[] server = servers[i % servers.length];
            Job job = new Job(r, Names.guid(r), jobName(type, i + 1), type, server[0], server[1]);
            int vms = 1 + r.nextInt(o.maxVmsPerJob);
            for (int v = 0; v < vms; v++) {
                job.vms.add(String.format("%s-vm%02d", type.toLowerCase(), (i + 1) * 10 + v));
            }
            job.nextStart = start.minus(o.history).plusMillis((long) (r.nextDouble() * o.period.toMillis()));
            jobs.add(job);
        }
    }

    @Override
    public void advanceTo(Instant t, SessionEstate estate) {
        for (Job job : jobs) {
            while (!job.nextStart.isAfter(t)) {
                Instant end = planRun(job, job.nextStart, 0);
                long periodMs = o.period.toMillis();
                long jitterMs = (long) ((job.random.nextDouble() * 2 - 1) * o.jitter * periodMs);
                Instant next = job.nextStart.plusMillis(periodMs + jitterMs);
                job.nextStart = next.isAfter(end) ? next : end.plusSeconds(5);
            }
        }
        timeline.runUntil(t, estate);
    }

    /** Schedules one run (and its retries); returns when the last of them ends. */
    private Instant planRun(Job job, Instant start, int attempt) {
        Random r = job.random;
        long minMs = o.minDuration.toMillis();
        long duration = minMs + (long) (r.nextDouble() * (o.maxDuration.toMillis() - minMs));
        Instant end = start.plusMillis(Math.max(duration, 1000));
        double roll = r.nextDouble();
        String result = roll < o.failureRate ? "Failed" : roll < o.failureRate + o.warningRate ? "Warning" : "Success";
        String unknown = r.nextDouble() < o.unknownStateRate ? UNKNOWN_STATES[r.nextInt(UNKNOWN_STATES.length)] : null;
        String sessionId = Names.guid(r);
        List<SimTaskSession> tasks = new ArrayList<>();
        for (String vm : job.vms) {
            SimTaskSession task = new SimTaskSession(Names.guid(r), vm, start.plusMillis(200L + r.nextInt(2000)));
            task.setVmUid("urn:VMware:Vm:" + job.serverId + ".vm-" + (1000 + Math.abs(vm.hashCode() % 9000)));
            task.setTotalSize((1L + r.nextInt(64)) * 1_073_741_824L);
            tasks.add(task);
        }
        String reason = REASONS["Failed".equals(result) ? r.nextInt(3) : 3 + r.nextInt(2)];
        int badTask = r.nextInt(tasks.size());

        SimSession s = new SimSession(job.type.equals("Replica") ? SimSession.REPLICA : SimSession.BACKUP,
                sessionId, job.id, job.name, job.type, start)
                .setBackupServerId(job.serverId).setBackupServerName(job.serverName).setRetry(attempt > 0).setTasks(tasks);
        timeline.schedule(start, e -> e.put(s));
        long d = end.toEpochMilli() - start.toEpochMilli();
        timeline.schedule(start.plusMillis(d / 10), e -> e.update(sessionId, x -> {
            x.setState("Working").setProgress(5);
            x.getTasks().forEach(task -> task.setState("InProgress"));
        }));
        int[] steps = {25, 50, 75, 95};
        for (int i = 0; i < steps.length; i++) {
            int p = steps[i];
            timeline.schedule(start.plusMillis(d * (i + 2) / 6), e -> e.update(sessionId, x -> x.setProgress(p)));
        }
        if (unknown != null) {
            timeline.schedule(start.plusMillis(d * 55 / 100), e -> e.update(sessionId, x -> x.setState(unknown)));
            timeline.schedule(start.plusMillis(d * 80 / 100), e -> e.update(sessionId, x -> x.setState("Working")));
        }
        timeline.schedule(start.plusMillis(d * 97 / 100), e -> e.update(sessionId, x -> x.setState("Stopping")));
        timeline.schedule(end, e -> e.update(sessionId, x -> finish(x, result, reason, badTask, end)));
        if ("Failed".equals(result) && o.retryOnFailure && attempt < o.maxRetries) {
            return planRun(job, end.plus(o.retryDelay), attempt + 1);
        }
        return end;
    }

    private static void finish(SimSession x, String result, String reason, int badTask, Instant end) {
        x.setState("Stopped").setResult(result).setProgress(100).setEndTime(end);
        for (int i = 0; i < x.getTasks().size(); i++) {
            SimTaskSession task = x.getTasks().get(i);
            boolean bad = i == badTask && !"Success".equals(result);
            task.setState("Completed").setEndTime(end.minusMillis(100)).setResult(bad ? result : "Success")
                    .setReason(bad ? reason : "");
        }
    }

    private static String pickType(Random r) {
        int roll = r.nextInt(100);
        int acc = 0;
        for (String[] m : MIX) {
            acc += Integer.parseInt(m[1]);
            if (roll < acc) {
                return m[0];
            }
        }
        return "Backup";
    }

    private static String jobName(String type, int n) {
        switch (type) {
            case "BackupCopy": return String.format("Backup Copy %02d\\Backup Job %02d", n, n);
            case "AgentBackup": return String.format("Agent Backup Policy %02d", n);
            case "NasBackup": return String.format("File Share Backup %02d", n);
            case "Replica": return String.format("Replication Job %02d", n);
            default: return String.format("Backup Job %02d", n);
        }
    }

    /** For tests: number of changes scheduled but not yet applied. */
    int pending() {
        return timeline.pending();
    }

    Duration period() {
        return o.period;
    }
}
