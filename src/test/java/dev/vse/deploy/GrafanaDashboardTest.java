package dev.vse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/grafana/veeam-session-events.json queries only the metrics (and tags) of the operations contract, shows
 * every one of them, is importable (datasource variable, unique ids), and its queries are valid PromQL (promtool).
 */
class GrafanaDashboardTest {
    static final Path DASHBOARD = Path.of("deploy/grafana/veeam-session-events.json");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*(\\w+)\\s*\\)");

    private static JsonNode dashboard;
    /** Every panel target's expr. */
    private static List<String> exprs;
    /** The panels, rows' nested panels included. */
    private static List<JsonNode> panels;

    @BeforeAll
    static void load() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        panels = new ArrayList<>();
        exprs = new ArrayList<>();
        collectPanels(dashboard.path("panels"));
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    exprs.add(t.get("expr").asText());
                }
            }
        }
    }

    private static void collectPanels(JsonNode list) {
        for (JsonNode p : list) {
            panels.add(p);
            collectPanels(p.path("panels"));
        }
    }

    @Test
    void everyQuery_namesOnlyMetricsOfTheOperationsContract() {
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
        for (String expr : exprs) {
            Set<String> names = PromQl.metricNames(expr);
            assertThat(names).as("metrics of %s", expr).isNotEmpty();
            for (String name : names) {
                assertThat(OperationsContract.metricOf(name))
                        .as("'%s' in %s is no metric of the operations contract %s (timers: %s suffixes)",
                                name, expr, OperationsContract.METRICS.keySet(), OperationsContract.TIMER_SUFFIXES)
                        .isPresent();
            }
        }
    }

    @Test
    void everyQuery_matchesAndGroupsOnlyByTheTagsOfItsMetrics() {
        for (String expr : exprs) {
            Set<String> allowed = new HashSet<>();
            for (String name : PromQl.metricNames(expr)) {
                allowed.addAll(OperationsContract.labelsOf(name));
            }
            for (PromQl.Selector s : PromQl.selectors(expr)) {
                assertThat(OperationsContract.labelsOf(s.metric())).as("labels matched on %s in %s", s.metric(), expr)
                        .containsAll(s.labels());
            }
            assertThat(allowed).as("grouping labels of %s", expr).containsAll(PromQl.groupingLabels(expr));
        }
    }

    @Test
    void templateVariables_queryOnlyContractMetricsAndTags() {
        List<String> queries = new ArrayList<>();
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if ("query".equals(v.path("type").asText())) {
                queries.add(v.path("definition").asText());
                queries.add(v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText());
            }
        }
        assertThat(queries).isNotEmpty();
        for (String q : queries) {
            Matcher m = LABEL_VALUES.matcher(q);
            assertThat(m.matches()).as("template query %s is label_values(<metric>, <label>)", q).isTrue();
            assertThat(OperationsContract.metricOf(m.group(1))).as("metric of %s", q).isPresent();
            assertThat(OperationsContract.labelsOf(m.group(1))).as("label of %s", q).contains(m.group(2));
        }
    }

    @Test
    void everyContractMetric_isOnTheDashboard() {
        Set<String> shown = new LinkedHashSet<>();
        for (String expr : exprs) {
            PromQl.metricNames(expr).forEach(n -> shown.add(OperationsContract.metricOf(n).orElse(n)));
        }
        assertThat(shown).containsExactlyInAnyOrderElementsOf(OperationsContract.METRICS.keySet());
    }

    @Test
    void dashboard_isImportable_withADatasourceVariable() {
        assertThat(dashboard.path("uid").asText()).isEqualTo("veeam-session-events");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
        JsonNode datasource = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if ("datasource".equals(v.path("type").asText())) {
                datasource = v;
            }
        }
        assertThat(datasource).as("a datasource variable").isNotNull();
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
        String ref = "${" + datasource.path("name").asText() + "}";

        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            assertThat(p.path("title").asText()).isNotBlank();
            assertThat(p.has("gridPos")).as("gridPos of %s", p.path("title")).isTrue();
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            assertThat(p.path("datasource").path("uid").asText()).as("datasource of %s", p.path("title")).isEqualTo(ref);
            assertThat(p.path("targets")).as("queries of %s", p.path("title")).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).isNotBlank();
                assertThat(refIds.add(t.path("refId").asText())).as("refIds of %s", p.path("title")).isTrue();
            }
        }
    }

    /**
     * Each expr, with Grafana's variables replaced, as a recording rule: {@code promtool check rules} parses it.
     * A broken query is refused the same way (so the check can fail).
     */
    @Test
    void everyQuery_isValidPromQl(@TempDir Path dir) throws Exception {
        Promtool.require();
        Path rules = dir.resolve("dashboard-queries.yml");
        Files.writeString(rules, asRecordingRules(exprs), StandardCharsets.UTF_8);
        Promtool.Result ok = Promtool.run("check", "rules", rules.toString());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("SUCCESS: " + exprs.size() + " rules found");

        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, asRecordingRules(List.of("sum by (em (vse_sessions_tracked)")), StandardCharsets.UTF_8);
        assertThat(Promtool.run("check", "rules", broken.toString()).exitCode()).isNotZero();
    }

    private static String asRecordingRules(List<String> queries) {
        StringBuilder y = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String q : queries) {
            String promql = q.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "6h")
                    .replaceAll("\\$\\{?\\w+}?", ".*");
            y.append("      - record: dashboard:query_").append(i++).append('\n')
                    .append("        expr: '").append(promql.replace("'", "''")).append("'\n");
        }
        return y.toString();
    }
}
