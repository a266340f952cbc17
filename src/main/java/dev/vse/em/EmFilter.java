package dev.vse.em;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds EM query-service filters ({@code filter=} of {@code /api/query}). Strings are always
 * double-quoted with inner quotes doubled (unquoted values lose their spaces on EM), instants are
 * quoted UTC with {@code Z}; AND is {@code ;}, OR is {@code ,}, both parenthesised.
 * Docs: helpcenter.veeam.com em_rest {@code optional_query_parameters.html}, {@code query_and_or.html}.
 */
public final class EmFilter {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private EmFilter() { }

    public static String eq(String field, String value) { return term(field, "==", quote(value)); }
    public static String ne(String field, String value) { return term(field, "!=", quote(value)); }
    public static String eq(String field, boolean value) { return term(field, "==", Boolean.toString(value)); }
    public static String ge(String field, Instant value) { return term(field, ">=", quote(value)); }
    public static String gt(String field, Instant value) { return term(field, ">", quote(value)); }
    public static String le(String field, Instant value) { return term(field, "<=", quote(value)); }
    public static String lt(String field, Instant value) { return term(field, "<", quote(value)); }

    /** All terms must hold: {@code (a;b)}; a single term is returned as is. */
    public static String and(String... terms) { return group(";", Arrays.asList(terms)); }

    /** Any term may hold: {@code (a,b)}; a single term is returned as is. */
    public static String or(String... terms) { return group(",", Arrays.asList(terms)); }

    /** {@code field} equals one of {@code values}: an OR of {@link #eq}. */
    public static String in(String field, Collection<String> values) {
        List<String> terms = new ArrayList<>();
        values.forEach(v -> terms.add(eq(field, v)));
        return group(",", terms);
    }

    /** {@code field} equals none of {@code values}: an AND of {@link #ne}. */
    public static String notIn(String field, Collection<String> values) {
        List<String> terms = new ArrayList<>();
        values.forEach(v -> terms.add(ne(field, v)));
        return group(";", terms);
    }

    /** {@code "value"} with every {@code "} doubled. */
    public static String quote(String value) {
        if (value == null) {
            throw new IllegalArgumentException("filter value must not be null");
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    static String quote(Instant value) {
        if (value == null) {
            throw new IllegalArgumentException("filter value must not be null");
        }
        return '"' + DateTimeFormatter.ISO_INSTANT.format(value) + '"';
    }

    private static String term(String field, String op, String value) {
        if (field == null || !FIELD.matcher(field).matches()) {
            throw new IllegalArgumentException("not an EM field name: " + field);
        }
        return field + op + value;
    }

    private static String group(String separator, List<String> terms) {
        if (terms.isEmpty() || terms.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("filter group needs at least one non-empty term");
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(separator, terms) + ")";
    }
}
