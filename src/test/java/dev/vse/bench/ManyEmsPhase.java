package dev.vse.bench;

import static dev.vse.bench.BenchKit.f;
import static dev.vse.bench.BenchKit.log;

import dev.vse.app.AppConfig;
import dev.vse.app.PipelineApp;
import dev.vse.app.Settings;
import dev.vse.detect.StateStore;
import dev.vse.simulator.EmSimulator;
import dev.vse.simulator.SimSession;
import dev.vse.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;

/**
 * Item 4: {@code ems} EM simulators of {@code sessionsPerEm} sessions each, all configured in ONE pipeline
 * ({@code em.url}, {@code em.1.url} ... {@code em.<ems-1>.url}). Measures the time until every EM's first load
 * completed, then over {@code cycles} steady cycles (a few changes per EM per interval) the lateness of every EM's
 * cycles: from each simulator's own request log, a cycle starts with its first {@code /api/query} request after
 * a pause longer than half the interval; lateness = start − (previous start + interval).
 */
final class ManyEmsPhase {
    record Result(int ems, double firstLoadSeconds, long maxDelayMillis, double p99DelayMillis, int cyclesMeasured,
                  int lateCycles) { }

    private ManyEmsPhase() { }

    private static final class Em {
        final EmSimulator sim;
        final String id;
        final List<Long> queryTimes = new ArrayList<>();
        final Deque<SimSession> running = new ArrayDeque<>();
        List<BenchKit.Job> jobs;

        Em(EmSimulator sim, String id) {
            this.sim = sim;
            this.id = id;
        }

        synchronized void query(long t) {
            queryTimes.add(t);
        }

        /** Starts of the cycles: a query request more than {@code gap} ms after the previous one. */
        synchronized List<Long> cycleStarts(long gap) {
            List<Long> starts = new ArrayList<>();
            long prev = Long.MIN_VALUE;
            for (long t : queryTimes) {
                if (prev == Long.MIN_VALUE || t - prev > gap) {
                    starts.add(t);
                }
                prev = t;
            }
            return starts;
        }
    }

    static Result run(String bootstrap, int ems, int sessionsPerEm, Duration interval, int cycles, int pageSize) throws Exception {
        Random random = new Random(11);
        String suffix = BenchKit.suffix();
        Path stateDir = Files.createTempDirectory("vse-bench-ems");
        List<Em> list = new ArrayList<>();
        PipelineApp app = null;
        long t0 = System.nanoTime();
        try (Admin admin = BenchKit.admin(bootstrap)) {
            BenchKit.createTopics(admin, BenchKit.sessionTopics(suffix));
            Instant now = Instant.now();
            for (int i = 0; i < ems; i++) {
                EmSimulator sim = EmSimulator.start(SimulatorOptions.defaults().withPort(0).withBindHost("127.0.0.1"));
                Em em = new Em(sim, i == 0 ? "em01" : f("em%03d", i + 1));
                em.jobs = BenchKit.fillEstate(sim, now, sessionsPerEm, 20, Math.max(1, sessionsPerEm / 100), 5, random,
                        em.running, null, em.id + " ");
                sim.refresh();
                sim.observe((user, path) -> {
                    if (path.equals("/api/query")) {
                        em.query(System.currentTimeMillis());
                    }
                });
                list.add(em);
            }
            log(f("%d simulators with %d sessions each started in %.1f s; threads now %d", ems, sessionsPerEm,
                    (System.nanoTime() - t0) / 1e9, java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount()));
            Map<String, String> o = BenchKit.overrides(list.get(0).sim.baseUrl(), bootstrap, stateDir, suffix, interval,
                    Duration.ofSeconds(1), pageSize, "all", "file");
            for (int i = 1; i < ems; i++) {
                o.put("em." + i + ".url", list.get(i).sim.baseUrl());
                o.put("em." + i + ".id", list.get(i).id);
                o.put("em." + i + ".username", "admin");
                o.put("em." + i + ".password", "admin");
            }
            Settings settings = Settings.load(Map.of(), o);
            AppConfig config = AppConfig.from(settings);
            if (config.ems().size() != ems) {
                throw new IllegalStateException("the pipeline configured " + config.ems().size() + " of " + ems + " EMs");
            }
            long heapBefore = BenchKit.usedHeapAfterGc();
            int threadsBefore = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            long start = System.nanoTime();
            app = new PipelineApp(config, settings);
            app.start();
            log(f("pipeline with %d EMs started in %.1f s", ems, (System.nanoTime() - start) / 1e9));
            StateStore store = app.store();
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            int done = 0;
            while (done < ems) {
                done = 0;
                for (Em em : list) {
                    if (store.watermark(em.id, SimSession.BACKUP).isPresent() && store.watermark(em.id, SimSession.REPLICA).isPresent()) {
                        done++;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("after 15 min only " + done + " of " + ems + " EMs completed their first load");
                }
                Thread.sleep(100);
            }
            double firstLoad = (System.nanoTime() - start) / 1e9;
            long allDone = System.currentTimeMillis();
            log(f("%d EMs: every first load completed %.1f s after start (%,d sessions in all)", ems, firstLoad,
                    (long) ems * sessionsPerEm));

            // steady: a few changes per EM in the middle of each interval, for cycles + 1 intervals
            long cpu0 = BenchKit.processCpu();
            long pipe0 = BenchKit.threadCpu("Camel", "kafka-producer");
            long steadyStart = System.currentTimeMillis();
            long steadyMillis = interval.toMillis() * (cycles + 1) + interval.toMillis() / 2;
            while (System.currentTimeMillis() - steadyStart < steadyMillis) {
                Thread.sleep(interval.toMillis() / 2);
                Instant t = Instant.now();
                for (Em em : list) {
                    for (int k = 0; k < 2 && !em.running.isEmpty(); k++) {
                        SimSession s = em.running.poll();
                        String r = BenchKit.result(random);
                        em.sim.estate().update(s.getId(), x -> x.setState("Stopped").setResult(r).setEndTime(t).setProgress(100));
                        SimSession n = BenchKit.newSession(em.jobs.get(random.nextInt(em.jobs.size())), t).setState("Working")
                                .setResult("None").setProgress(1);
                        em.sim.estate().put(n);
                        em.running.add(n);
                    }
                }
            }
            long steadyEnd = System.currentTimeMillis();
            long cpu = BenchKit.processCpu() - cpu0;
            long pipe = BenchKit.threadCpu("Camel", "kafka-producer") - pipe0;
            Map<String, Integer> threads = BenchKit.threadsByPrefix();
            int threadCount = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount();
            long heapAfter = BenchKit.usedHeapAfterGc();

            // lateness per EM from its own request log
            long maxDelay = Long.MIN_VALUE;
            String worst = "";
            List<Long> delays = new ArrayList<>();
            int late = 0;
            int measuredCycles = 0;
            for (Em em : list) {
                List<Long> starts = em.cycleStarts(interval.toMillis() / 2);
                for (int k = 1; k < starts.size(); k++) {
                    long s = starts.get(k);
                    if (starts.get(k - 1) < allDone || s > steadyEnd) {
                        continue; // the previous cycle was (or may have been) a first load, or after the window
                    }
                    long delay = s - (starts.get(k - 1) + interval.toMillis());
                    delays.add(delay);
                    measuredCycles++;
                    if (delay > 0) {
                        late++;
                    }
                    if (delay > maxDelay) {
                        maxDelay = delay;
                        worst = em.id + " cycle at " + Instant.ofEpochMilli(s);
                    }
                }
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            double steadyCycles = (steadyEnd - steadyStart) / (double) interval.toMillis();
            log(f("%d EMs, interval %ds: %d steady cycles measured (>= %d per EM expected), lateness p50 %.0f ms, p99 %.0f ms, "
                            + "max %d ms (%s); %d cycles started later than due", ems, interval.toSeconds(), measuredCycles,
                    cycles, BenchKit.percentile(sorted, 50), BenchKit.percentile(sorted, 99), maxDelay, worst, late));
            log(f("%d EMs: threads %d (before the pipeline %d, so the pipeline added %d); heap after GC %.1f MB (before the "
                            + "pipeline %.1f MB, +%.1f MB = %,.0f bytes per EM)", ems, threadCount, threadsBefore,
                    threadCount - threadsBefore, heapAfter / 1e6, heapBefore / 1e6, (heapAfter - heapBefore) / 1e6,
                    (heapAfter - heapBefore) / (double) ems));
            log(f("%d EMs: CPU in steady state %.1f s process, %.1f s pipeline threads over %.1f intervals -> per cycle per EM "
                            + "%.2f ms process, %.2f ms pipeline", ems, cpu / 1e9, pipe / 1e9, steadyCycles,
                    cpu / 1e6 / steadyCycles / ems, pipe / 1e6 / steadyCycles / ems));
            StringBuilder sb = new StringBuilder();
            threads.entrySet().stream().limit(15).forEach(e -> sb.append("\n        ").append(e.getValue()).append("  ").append(e.getKey()));
            log("threads by name (digits folded):" + sb);
            app.close();
            app = null;
            // the difference above also holds what the simulators cached while serving; with the pipeline closed
            // what is left is theirs, so the pipeline's own share is heapAfter - heapClosed
            long heapClosed = BenchKit.usedHeapAfterGc();
            log(f("%d EMs: heap after GC with the pipeline closed %.1f MB -> the pipeline held %.1f MB = %,.0f bytes per EM "
                            + "(%,d sessions each, tracked state included)", ems, heapClosed / 1e6, (heapAfter - heapClosed) / 1e6,
                    (heapAfter - heapClosed) / (double) ems, sessionsPerEm));
            return new Result(ems, firstLoad, measuredCycles == 0 ? Long.MIN_VALUE : maxDelay, BenchKit.percentile(sorted, 99),
                    measuredCycles, late);
        } finally {
            if (app != null) {
                app.close();
            }
            for (Em em : list) {
                em.sim.close();
            }
            BenchKit.deleteQuietly(stateDir);
        }
    }
}
