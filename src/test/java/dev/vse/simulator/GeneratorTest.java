package dev.vse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
}
