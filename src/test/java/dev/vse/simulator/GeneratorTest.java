package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private static final Instant START = Instant.parse("2025-08-15T06:00:00Z");

    private static List<String> fingerprint(GeneratorOptions o, Duration... steps) {
        SessionEstate estate = new SessionEstate();
        SessionGenerator g = new SessionGenerator(o, START);
        Instant t = START;
        g.advanceTo(t, estate);
        for (Duration d : steps) {
            t = t.plus(d);
            g.advanceTo(t, estate);
        }
        return estate.all().stream().map(s -> s.uid() + "|" + s.getJobName() + "|" + s.getJobType() + "|" + s.getCreationTime()
                + "|" + s.getState() + "|" + s.getResult() + "|" + s.getProgress() + "|" + s.isRetry() + "|" + s.getEndTime()).toList();
    }

    @Test
    void givenSameSeed_whenGenerating_thenSameEstateEvenWithDifferentTickSizes() {
        GeneratorOptions o = GeneratorOptions.defaults().withSeed(7);
        List<String> a = fingerprint(o, Duration.ofMinutes(10));
        List<String> b = fingerprint(o, Duration.ofMinutes(3), Duration.ofMinutes(3), Duration.ofMinutes(4));
        assertThat(a).hasSizeGreaterThan(1000);
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
        assertThat(fingerprint(GeneratorOptions.defaults().withSeed(8), Duration.ofMinutes(10))).isNotEqualTo(a);
    }

    @Test
    void givenDefaults_whenGenerating_thenMixOfOutcomesRetriesTypesAndRunningSessions() {
        SessionEstate estate = new SessionEstate();
        new SessionGenerator(GeneratorOptions.defaults().withUnknownStateRate(0.5), START).advanceTo(START, estate);
        List<SimSession> all = estate.all();
        Set<String> results = all.stream().map(SimSession::getResult).collect(Collectors.toSet());
        assertThat(results).contains("Success", "Warning", "Failed", "None");
        assertThat(all).anyMatch(SimSession::isRetry);
        assertThat(all).anyMatch(s -> !"Stopped".equals(s.getState()));
        assertThat(all.stream().map(SimSession::getJobType).collect(Collectors.toSet()))
                .contains("Backup", "BackupCopy", "AgentBackup", "NasBackup", "Replica");
        assertThat(all).filteredOn(s -> s.getJobType().equals("Replica")).allMatch(SimSession::isReplica);
        assertThat(all).filteredOn(s -> "Stopped".equals(s.getState())).allMatch(s -> s.getEndTime() != null);
        assertThat(all).filteredOn(s -> !"Stopped".equals(s.getState())).allMatch(s -> s.getEndTime() == null);
        assertThat(all.stream().map(SimSession::getJobId).distinct().count()).isEqualTo(40);
        // every retry follows a failed session of the same job
        for (SimSession retry : all.stream().filter(SimSession::isRetry).toList()) {
            assertThat(all).anyMatch(s -> s.getJobId().equals(retry.getJobId()) && "Failed".equals(s.getResult())
                    && s.getEndTime() != null && !s.getEndTime().isAfter(retry.getCreationTime()));
        }
    }

    @Test
    void givenUnknownStateRate_whenTimePasses_thenUndocumentedStatesAppear() {
        SessionEstate estate = new SessionEstate();
        SessionGenerator g = new SessionGenerator(GeneratorOptions.defaults().withUnknownStateRate(1.0).withHistory(Duration.ZERO), START);
        boolean seen = false;
        for (int i = 0; i < 120 && !seen; i++) {
            g.advanceTo(START.plusSeconds(i * 5L), estate);
            seen = estate.all().stream().anyMatch(s -> !QueryField.STATE_ORDER.contains(s.getState()));
        }
        assertThat(seen).isTrue();
    }

    /** Retry attempt of each session: 0 for a scheduled run, else 1 + the attempt of the failed session it retries. */
    private static Map<String, Integer> attempts(List<SimSession> sessionsOfJob, SimJob job) {
        Map<String, Integer> attempt = new HashMap<>();
        List<SimSession> sorted = sessionsOfJob.stream().sorted(Comparator.comparing(SimSession::getCreationTime)).toList();
        for (SimSession s : sorted) {
            attempt.put(s.getId(), sorted.stream()
                    .filter(p -> "Failed".equals(p.getResult()) && p.getEndTime() != null
                            && p.getEndTime().plus(job.getRetryTimeout()).equals(s.getCreationTime()))
                    .findFirst().map(p -> attempt.get(p.getId()) + 1).orElse(0));
        }
        return attempt;
    }

    @Test
    void givenSeededGenerator_whenRunsFail_thenRetryChainsFollowEachJobsRetryOptions() {
        SessionEstate estate = new SessionEstate();
        Instant now = START.plus(Duration.ofMinutes(30));
        GeneratorOptions o = GeneratorOptions.defaults().withSeed(11).withFailureRate(0.4).withRetryTimeout(Duration.ofSeconds(20));
        new SessionGenerator(o, START).advanceTo(now, estate);
        List<SimJob> jobs = estate.jobs();
        List<SimSession> all = estate.all();

        assertThat(jobs).hasSize(40);
        assertThat(jobs).filteredOn(j -> !j.isRetrySpecified()).hasSizeBetween(3, 20);
        assertThat(jobs).filteredOn(SimJob::isRetrySpecified).extracting(SimJob::getRetryTimes).contains(1, 2, 3)
                .allMatch(n -> n >= 1 && n <= 3);
        assertThat(jobs).allMatch(j -> j.getRetryTimeout().equals(Duration.ofSeconds(20)));
        int retries = 0;
        int unflagged = 0;
        int exhausted = 0;
        for (SimJob job : jobs) {
            List<SimSession> mine = all.stream().filter(s -> s.getJobId().equals(job.getId())).toList();
            Map<String, Integer> attempt = attempts(mine, job);
            for (SimSession s : mine) {
                int a = attempt.get(s.getId());
                assertThat(a).as("retries only while attempts are left").isLessThanOrEqualTo(job.isRetrySpecified() ? job.getRetryTimes() : 0);
                assertThat(s.isRetry()).as("IsRetry=true only on retry sessions").isEqualTo(s.isRetry() && a > 0);
                retries += a > 0 ? 1 : 0;
                unflagged += a > 0 && !s.isRetry() ? 1 : 0;
                boolean due = "Failed".equals(s.getResult()) && !s.getEndTime().plus(job.getRetryTimeout()).isAfter(now);
                if (due) {
                    boolean retried = mine.stream().anyMatch(r -> attempt.get(r.getId()) == a + 1
                            && r.getCreationTime().equals(s.getEndTime().plus(job.getRetryTimeout())));
                    assertThat(retried).as("a failure is retried RetryTimeout later exactly while attempts are left")
                            .isEqualTo(job.isRetrySpecified() && a < job.getRetryTimes());
                    exhausted += job.isRetrySpecified() && a == job.getRetryTimes() ? 1 : 0;
                }
            }
        }
        assertThat(retries).isGreaterThan(20);
        assertThat(unflagged).as("some retries without IsRetry").isBetween(1, retries - 1);
        assertThat(exhausted).as("some chains use up their retries").isPositive();
    }

    @Test
    void givenRetriesOffForAllJobs_whenRunsFail_thenNoRetrySessions() {
        SessionEstate estate = new SessionEstate();
        new SessionGenerator(GeneratorOptions.defaults().withRetryOffRate(1.0).withFailureRate(0.5), START).advanceTo(START, estate);
        assertThat(estate.jobs()).noneMatch(SimJob::isRetrySpecified);
        assertThat(estate.all()).noneMatch(SimSession::isRetry);
        for (SimJob job : estate.jobs()) {
            assertThat(attempts(estate.all().stream().filter(s -> s.getJobId().equals(job.getId())).toList(), job).values())
                    .containsOnly(0);
        }
    }

    @Test
    void givenFinishedRuns_thenFailedAndWarningVmsCarryAReason_andSuccessfulOnesNone() {
        SessionEstate estate = new SessionEstate();
        new SessionGenerator(GeneratorOptions.defaults().withFailureRate(0.3), START).advanceTo(START, estate);
        List<SimSession> finished = estate.all().stream().filter(s -> "Stopped".equals(s.getState())).toList();
        for (SimSession s : finished) {
            assertThat(s.getTasks()).allMatch(t -> "Success".equals(t.getResult()) == t.getReason().isEmpty());
            if (!"Success".equals(s.getResult())) {
                assertThat(s.getTasks()).anyMatch(t -> t.getResult().equals(s.getResult()));
            }
        }
        assertThat(finished).anyMatch(s -> s.getTasks().stream().filter(t -> "Failed".equals(t.getResult())).count() > 1);
    }
}
