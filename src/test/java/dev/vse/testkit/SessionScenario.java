package dev.vse.testkit;

import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drives the simulator's estate every 150 ms: sessions start (backup and replica), progress, end with
 * Success, Warning or Failed; a failed job is often retried (IsRetry=true), sometimes by a session that
 * appears already finished (EM's collection lag); now and then a session appears already finished.
 */
public final class SessionScenario implements Runnable {
    private final Random rnd;
    private final EmSimulator em;
    private final List<String> running = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Instant began = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    private int jobs;

    public SessionScenario(Random rnd, EmSimulator em) {
        this.rnd = rnd;
        this.em = em;
    }

    @Override
    public void run() {
        try {
            while (!stop.get()) {
                step();
                Thread.sleep(150);
            }
            // end of the scenario: everything still running ends
            for (String id : List.copyOf(running)) {
                end(id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void finish() {
        stop.set(true);
    }

    private void step() {
        int r = rnd.nextInt(100);
        if (r < 20 && running.size() < 12) {
            startSession(false, job());
        } else if (r < 50 && !running.isEmpty()) {
            String id = running.get(rnd.nextInt(running.size()));
            em.estate().update(id, s -> s.setState("Working").setProgress(Math.min(99, s.getProgress() + 10 + rnd.nextInt(30))));
        } else if (r < 75 && !running.isEmpty()) {
            end(running.get(rnd.nextInt(running.size())));
        } else if (r < 82) {
            appearFinished(job(), false, pickResult());
        }
    }

    private String job() {
        return "Job " + (++jobs % 15);
    }

    private void startSession(boolean retry, String job) {
        boolean replica = rnd.nextInt(4) == 0;
        SimSession s = session(replica ? SimSession.REPLICA : SimSession.BACKUP, job, Instant.now())
                .setState("Starting").setResult("None").setRetry(retry);
        em.estate().put(s);
        running.add(s.getId());
    }

    private void end(String id) {
        String result = pickResult();
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String job = em.estate().get(id).orElseThrow().getJobName();
        em.estate().update(id, s -> s.setState("Stopped").setResult(result).setEndTime(end).setProgress(100));
        running.remove(id);
        if (result.equals("Failed") && !stop.get()) {
            int retry = rnd.nextInt(3);
            if (retry == 0) {
                startSession(true, job);
            } else if (retry == 1) {
                appearFinished(job, true, rnd.nextBoolean() ? "Success" : "Failed");
            }
        }
    }

    /**
     * First seen already stopped: created minutes ago, ended within EM's collection lag, but not before the
     * scenario began (the pipeline's baseline instant lies before that: what ended earlier is history).
     */
    private void appearFinished(String job, boolean retry, String result) {
        Instant now = Instant.now();
        Instant end = now.minus(Duration.ofMinutes(1 + rnd.nextInt(5))).truncatedTo(ChronoUnit.SECONDS);
        em.estate().put(session(SimSession.BACKUP, job, now.minus(Duration.ofMinutes(20 + rnd.nextInt(5))))
                .setState("Stopped").setResult(result).setRetry(retry).setProgress(100)
                .setEndTime(end.isBefore(began) ? began : end));
    }

    private String pickResult() {
        int r = rnd.nextInt(10);
        return r < 5 ? "Success" : r < 7 ? "Warning" : "Failed";
    }

    public static SimSession session(String type, String job, Instant created) {
        String jobType = SimSession.REPLICA.equals(type) ? "Replica" : "Backup";
        return new SimSession(type, UUID.randomUUID().toString(), UUID.nameUUIDFromBytes(job.getBytes(StandardCharsets.UTF_8)).toString(),
                job, jobType, created);
    }
}
