package dev.vse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vse.util.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/: the alert rules exist with for/severity/summary/description, query only contract metrics,
 * agree with the pipeline's defaults, are each unit-tested firing and not firing, and pass
 * {@code promtool check rules}, {@code promtool test rules} and {@code promtool check config} (skipped without promtool);
 * docker-compose's Prometheus mounts them and scrapes the pipeline's metrics endpoint.
 */
class PrometheusRulesTest {
    static final Path DIR = Path.of("deploy/prometheus");
    static final Path RULES = DIR.resolve("rules.yml");
    static final Path RULES_TEST = DIR.resolve("rules.test.yml");
    static final Path CONFIG = DIR.resolve("prometheus.yml");
    static final List<String> ALERTS = List.of(
            "VeeamEmStale", "VeeamEmAuthRefused", "VeeamDlqGrowing", "VeeamPipelineDown", "VeeamHeartbeatMissing");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("^(\\d+[smhd])+$");

    private static Map<String, JsonNode> alerts;

    @BeforeAll
    static void load() throws IOException {
        alerts = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    assertThat(alerts.put(rule.get("alert").asText(), rule)).as("alert %s defined once", rule.get("alert")).isNull();
                }
            }
        }
    }

    @Test
    void everyAlert_hasFor_severity_summaryAndDescription() {
        assertThat(alerts.keySet()).containsAll(ALERTS);
        alerts.forEach((name, rule) -> {
            assertThat(rule.path("expr").asText()).as("expr of %s", name).isNotBlank();
            assertThat(rule.path("for").asText()).as("for of %s", name).matches(DURATION);
            assertThat(rule.path("labels").path("severity").asText()).as("severity of %s", name)
                    .isIn("critical", "warning", "info");
            assertThat(rule.path("annotations").path("summary").asText()).as("summary of %s", name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as("description of %s", name).isNotBlank();
        });
    }

    @Test
    void everyAlert_queriesOnlyContractMetricsAndTheirTags_orUp() {
        alerts.forEach((name, rule) -> {
            String expr = rule.path("expr").asText();
            Set<String> allowed = new HashSet<>(OperationsContract.TARGET_LABELS);
            for (String metric : PromQl.metricNames(expr)) {
                if (metric.equals("up")) {
                    continue;
                }
                assertThat(OperationsContract.metricOf(metric)).as("'%s' in %s is no contract metric", metric, name).isPresent();
                allowed.addAll(OperationsContract.labelsOf(metric));
            }
            for (PromQl.Selector s : PromQl.selectors(expr)) {
                Set<String> labels = s.metric().equals("up") ? OperationsContract.TARGET_LABELS : OperationsContract.labelsOf(s.metric());
                assertThat(labels).as("labels matched on %s in %s", s.metric(), name).containsAll(s.labels());
            }
            assertThat(allowed).as("grouping labels of %s", name).containsAll(PromQl.groupingLabels(expr));
        });
        assertThat(PromQl.metricNames(alerts.get("VeeamEmStale").path("expr").asText()))
                .containsExactly("vse_last_successful_cycle_timestamp_seconds");
        assertThat(alerts.get("VeeamEmAuthRefused").path("expr").asText()).contains("vse_cycles_total{outcome=\"auth-refused\"}");
        assertThat(PromQl.metricNames(alerts.get("VeeamDlqGrowing").path("expr").asText())).containsExactly("vse_dlq_records_total");
        assertThat(alerts.get("VeeamPipelineDown").path("expr").asText()).contains("absent(up{job=\"veeam-session-events\"})");
        assertThat(alerts.get("VeeamHeartbeatMissing").path("expr").asText()).contains("absent(vse_cycles_total");
    }

    /** /observe/health's limit: 3 x POLL_INTERVAL (the default of application.properties). */
    @Test
    void staleLimit_isThreeDefaultPollIntervals() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = PrometheusRulesTest.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        Duration interval = Durations.parse(defaults.getProperty("poll.interval"));
        assertThat(alerts.get("VeeamEmStale").path("expr").asText())
                .containsPattern("time\\(\\) - vse_last_successful_cycle_timestamp_seconds > " + interval.multipliedBy(3).toSeconds() + "\\b");
    }

    /** Each alert has a case where it fires and one where it does not (promtool compares labels and annotations). */
    @Test
    void everyAlert_isUnitTested_firingAndNotFiring() throws IOException {
        JsonNode tests = YAML.readTree(RULES_TEST.toFile());
        assertThat(tests.path("rule_files").toString()).contains("rules.yml");
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (JsonNode t : tests.path("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                String name = a.path("alertname").asText();
                (a.path("exp_alerts").isEmpty() ? silent : fires).add(name);
                for (JsonNode exp : a.path("exp_alerts")) {
                    assertThat(exp.path("exp_labels").path("severity").asText()).as("severity expected for %s", name)
                            .isEqualTo(alerts.get(name).path("labels").path("severity").asText());
                    assertThat(exp.path("exp_annotations").path("summary").asText()).as("summary expected for %s", name).isNotBlank();
                }
            }
        }
        assertThat(fires).as("alerts with a firing case").containsAll(alerts.keySet());
        assertThat(silent).as("alerts with a silent case").containsAll(alerts.keySet());
    }

    @Test
    void promtool_checksTheRules() throws Exception {
        Promtool.Result r = Promtool.run("check", "rules", RULES.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + alerts.size() + " rules found");
    }

    @Test
    void promtool_unitTestsOfTheRulesPass() throws Exception {
        Promtool.Result r = Promtool.run("test", "rules", RULES_TEST.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void promtool_checksThePrometheusConfig_andTheRulesItLoads() throws Exception {
        Promtool.Result r = Promtool.run("check", "config", CONFIG.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found");
    }

    /** prometheus.yml scrapes /observe/metrics on the port of camel.management.port; docker-compose mounts both files. */
    @Test
    void compose_runsPrometheus_scrapingThePipelineWithTheRules() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = PrometheusRulesTest.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        String port = defaults.getProperty("camel.management.port");
        JsonNode config = YAML.readTree(CONFIG.toFile());
        assertThat(config.path("rule_files").toString()).contains("rules.yml");
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("job_name").asText()).isEqualTo("veeam-session-events");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/observe/metrics");
        assertThat(job.path("static_configs").get(0).path("targets").toString()).contains("pipeline:" + port);

        JsonNode services = YAML.readTree(Path.of("docker-compose.yml").toFile()).path("services");
        assertThat(services.path("pipeline").path("ports").toString()).contains(port + ":" + port);
        JsonNode prometheus = services.path("prometheus");
        assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:");
        assertThat(prometheus.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(prometheus.path("volumes").toString())
                .contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml")
                .contains("./deploy/prometheus/rules.yml:/etc/prometheus/rules.yml");
    }
}
