package dev.vse.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to list the metrics a query selects and the labels it names. Not a parser:
 * {@code promtool check rules} checks the syntax (see {@link Promtool}).
 */
final class PromQl {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{?\\w+}?");
    /** An identifier not preceded by a word character or a dot (so no "m" of "15m", no "5" of "0.95"). */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*+)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "and", "or", "unless", "atan2", "Inf", "inf", "NaN", "nan");

    private PromQl() { }

    /** The metric names an expression selects (identifiers that are no function, keyword, label or duration). */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A metric selected with label matchers, and the labels they name. */
    record Selector(String metric, Set<String> labels) { }

    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            if (KEYWORDS.contains(m.group(1))) {
                continue;
            }
            Set<String> labels = new LinkedHashSet<>();
            Matcher l = MATCHER_LABEL.matcher(STRING.matcher(m.group(2)).replaceAll("\"\""));
            while (l.find()) {
                labels.add(l.group(1));
            }
            out.add(new Selector(m.group(1), labels));
        }
        return out;
    }

    /** The labels of the {@code by (...)}/{@code on (...)}/... clauses. */
    static Set<String> groupingLabels(String expr) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = GROUPING.matcher(STRING.matcher(expr).replaceAll(" "));
        while (m.find()) {
            for (String label : m.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }
}
