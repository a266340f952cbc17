package dev.vse.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates a living estate: jobs of mixed types whose runs start every period (± jitter), move through
 * Starting → Working (→ an undocumented state now and then) → Stopped with Success/Warning/Failed. Each job has a
 * retry policy ({@link SimJob}, served on its job entity); a failed run is retried as the policy says: while retries
 * are left, a new session of the job starts {@code RetryTimeout} after the failure ended, and fails again or
 * succeeds by chance. Most retry sessions carry {@code IsRetry=true}, a share {@code false} (both occur on real
 * servers). Failed VMs carry a failure reason, the VM of a warning run a warning, all others {@code <Reason />}.
 * Runs before the start instant form the history. Deterministic: each job draws from its own random seeded from the
 * options' seed, so the same seed and the same start instant give the same estate however often {@link #advanceTo}
 * is called.
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
    private boolean jobsRegistered;

    private static final class Job {
        final Random random;
        final SimJob sim;
        final List<String> vms = new ArrayList<>();
        Instant nextStart;

        Job(Random random, SimJob sim) {
            this.random = random;
            this.sim = sim;
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
            SimJob sim = new SimJob(Names.guid(r), jobName(type, i + 1), type).setBackupServerId(server[0]).setBackupServerName(server[1]);
            Job job = new Job(r, sim);
            int vms = 1 + r.nextInt(o.maxVmsPerJob);
            for (int v = 0; v < vms; v++) {
                job.vms.add(String.format("%s-vm%02d", type.toLowerCase(), (i + 1) * 10 + v));
            }
            boolean retries = r.nextDouble() >= o.retryOffRate;
            sim.setRetry(retries, 1 + r.nextInt(o.maxRetries), o.retryTimeout);
            job.nextStart = start.minus(o.history).plusMillis((long) (r.nextDouble() * o.period.toMillis()));
            jobs.add(job);
        }
    }

    @Override
    public void advanceTo(Instant t, SessionEstate estate) {
        if (!jobsRegistered) {
            jobs.forEach(j -> estate.putJob(j.sim));
            jobsRegistered = true;
        }
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

    /** Schedules one run (attempt 0) and, per the job's retry policy, its retries; returns when the last of them ends. */
    private Instant planRun(Job job, Instant start, int attempt) {
        Random r = job.random;
        SimJob sim = job.sim;
        long minMs = o.minDuration.toMillis();
        long duration = minMs + (long) (r.nextDouble() * (o.maxDuration.toMillis() - minMs));
        Instant end = start.plusMillis(Math.max(duration, 1000));
        double roll = r.nextDouble();
        String result = attempt > 0 ? (roll < o.retryFailureRate ? "Failed" : "Success")
                : roll < o.failureRate ? "Failed" : roll < o.failureRate + o.warningRate ? "Warning" : "Success";
        boolean flagged = attempt > 0 && r.nextDouble() >= o.unflaggedRetryRate;
        String unknown = r.nextDouble() < o.unknownStateRate ? UNKNOWN_STATES[r.nextInt(UNKNOWN_STATES.length)] : null;
        String sessionId = Names.guid(r);
        List<SimTaskSession> tasks = new ArrayList<>();
        for (String vm : job.vms) {
            SimTaskSession task = new SimTaskSession(Names.guid(r), vm, start.plusMillis(200L + r.nextInt(2000)));
            task.setVmUid("urn:VMware:Vm:" + sim.getBackupServerId() + ".vm-" + (1000 + Math.abs(vm.hashCode() % 9000)));
            task.setTotalSize((1L + r.nextInt(64)) * 1_073_741_824L);
            tasks.add(task);
        }
        // the outcome per VM: one VM carries a warning or failure, in a failed run further VMs may fail too
        String[] results = new String[tasks.size()];
        String[] reasons = new String[tasks.size()];
        int badTask = r.nextInt(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            boolean bad = !"Success".equals(result) && (i == badTask || "Failed".equals(result) && r.nextDouble() < 0.3);
            results[i] = bad ? result : "Success";
            reasons[i] = !bad ? "" : REASONS["Failed".equals(result) ? r.nextInt(3) : 3 + r.nextInt(2)];
        }

        SimSession s = new SimSession(sim.getType().equals("Replica") ? SimSession.REPLICA : SimSession.BACKUP,
                sessionId, sim.getId(), sim.getName(), sim.getType(), start)
                .setBackupServerId(sim.getBackupServerId()).setBackupServerName(sim.getBackupServerName())
                .setRetry(flagged).setTasks(tasks);
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
        timeline.schedule(end, e -> e.update(sessionId, x -> finish(x, result, results, reasons, end)));
        if ("Failed".equals(result) && sim.isRetrySpecified() && attempt < sim.getRetryTimes()) {
            return planRun(job, end.plus(sim.getRetryTimeout()), attempt + 1);
        }
        return end;
    }

    private static void finish(SimSession x, String result, String[] results, String[] reasons, Instant end) {
        x.setState("Stopped").setResult(result).setProgress(100).setEndTime(end);
        for (int i = 0; i < x.getTasks().size(); i++) {
            x.getTasks().get(i).setState("Completed").setEndTime(end.minusMillis(100)).setResult(results[i]).setReason(reasons[i]);
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
