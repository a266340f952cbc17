package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayCommandTest {
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    @Test
    void givenDurations_whenParsed_thenNowMinus() {
        ReplayCommand.Options o = ReplayCommand.parse(new String[] {"--em", "em01", "--from", "24h", "--to", "30m"}, NOW);
        assertThat(o.from()).isEqualTo(NOW.minus(Duration.ofHours(24)));
        assertThat(o.to()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(o.types()).isEqualTo(EnumSet.allOf(EventType.class));
    }

    @Test
    void givenIsoTimes_whenParsed_thenInstants_andToDefaultsToNow() {
        assertThat(ReplayCommand.parse(new String[] {"--em", "em01", "--from", "2026-03-01T06:00:00Z"}, NOW))
                .isEqualTo(new ReplayCommand.Options("em01", Instant.parse("2026-03-01T06:00:00Z"), NOW,
                        EnumSet.allOf(EventType.class)));
        assertThat(ReplayCommand.time("2026-03-01T07:00:00+01:00", NOW, "--from")).isEqualTo(Instant.parse("2026-03-01T06:00:00Z"));
        assertThat(ReplayCommand.time("2026-03-01", NOW, "--from")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    void givenTopics_whenParsed_thenOnlyThoseTypes() {
        assertThat(ReplayCommand.parse(new String[] {"--em", "x", "--from", "1h", "--topics", "completed, failed"}, NOW).types())
                .containsExactlyInAnyOrder(EventType.COMPLETED, EventType.FAILED);
        assertThatThrownBy(() -> ReplayCommand.topics("changes,dlq")).hasMessageContaining("'dlq'");
    }

    @Test
    void givenBadArguments_whenParsed_thenOneClearReason() {
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--from", "1h"}, NOW)).hasMessageContaining("--em is required");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--em", "a"}, NOW)).hasMessageContaining("--from is required");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--em", "a", "--from", "1h", "--to", "2h"}, NOW))
                .hasMessageContaining("is not before");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--em", "a", "--from", "yesterday"}, NOW))
                .hasMessageContaining("neither an ISO-8601 time");
        assertThatThrownBy(() -> ReplayCommand.parse(new String[] {"--em", "a", "--from"}, NOW))
                .hasMessageContaining("--from needs a value");
    }

    @Test
    void givenWindow_whenFiltered_thenCreatedOrEndedWithinWholeSeconds_andJobListsApplied() {
        Settings s = Settings.load(Map.of(), Map.of("em.url", "https://em01:9398/api", "em.username", "u",
                "em.password", "p", "em.job-names.exclude", "Tape"));
        var em = AppConfig.from(s).ems().get(0);

        String f = ReplayCommand.filter(em, Instant.parse("2026-03-01T00:00:00.500Z"), Instant.parse("2026-03-02T00:00:00.200Z"));

        assertThat(f).isEqualTo("(((CreationTime>=\"2026-03-01T00:00:00Z\";CreationTime<\"2026-03-02T00:00:01Z\"),"
                + "(EndTime>=\"2026-03-01T00:00:00Z\";EndTime<\"2026-03-02T00:00:01Z\"));JobName!=\"Tape\")");
    }

    @Test
    void givenPipelineConfiguration_whenReplayConfiguresCamel_thenSameKafkaGuarantees_butNoRoutesAndNoManagementPort() {
        Settings s = Settings.load(Map.of(), Map.of("em.url", "https://em01:9398/api", "em.username", "u", "em.password", "p"));
        var p = ReplayCommand.camelProperties(AppConfig.from(s), s);
        assertThat(p.getProperty("camel.component.kafka.request-required-acks")).isEqualTo("all");
        assertThat(p.getProperty("camel.component.kafka.enable-idempotence")).isEqualTo("true");
        assertThat(p.getProperty("camel.component.kafka.brokers")).isEqualTo("localhost:9092");
        assertThat(p.getProperty("camel.management.enabled")).isEqualTo("false");
        assertThat(p.getProperty("camel.main.routes-collector-enabled")).isEqualTo("false");
    }

    @Test
    void givenUnknownEm_whenRun_thenConfigurationErrorExit2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ReplayCommand.run(new String[] {"--em", "em09", "--from", "1h"}, Map.of(),
                Map.of("em.url", "https://em01:9398/api", "em.username", "u", "em.password", "p"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no EM with id 'em09'", "em01");
    }
}
