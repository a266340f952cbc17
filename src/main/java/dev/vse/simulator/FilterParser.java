package dev.vse.simulator;

import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Recursive-descent parser for EM's query filter (FIQL-like):
 * <pre>
 *   or     := and (',' and)*          ',' = OR
 *   and    := term (';' term)*        ';' = AND, binds tighter than OR
 *   term   := '(' or ')' | field op value
 *   op     := '==' | '!=' | '&lt;=' | '&gt;=' | '&lt;' | '&gt;'
 *   value  := '"' ( char | '""' )* '"'  |  unquoted (up to ; , ) — whitespace dropped, as EM does)
 * </pre>
 * Field names are case-insensitive. Strings compare case-insensitively. A row without a value for the field
 * (e.g. no EndTime while running) never matches a comparison on that field.
 */
public final class FilterParser<T> {
    private final Map<String, QueryField<T>> fields;
    private String text;
    private int pos;

    /** @param fields the query type's fields, keyed by lower-case name */
    public FilterParser(Map<String, QueryField<T>> fields) {
        this.fields = fields;
    }

    /** Parses {@code filter}; null or blank matches everything. Not thread-safe; use one parser per call. */
    public Predicate<T> parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return row -> true;
        }
        this.text = filter;
        this.pos = 0;
        Predicate<T> p = or();
        skipSpaces();
        if (pos < text.length()) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        return p;
    }

    private Predicate<T> or() {
        Predicate<T> left = and();
        while (peek(',')) {
            pos++;
            left = left.or(and());
        }
        return left;
    }

    private Predicate<T> and() {
        Predicate<T> left = term();
        while (peek(';')) {
            pos++;
            left = left.and(term());
        }
        return left;
    }

    private Predicate<T> term() {
        if (peek('(')) {
            pos++;
            Predicate<T> inner = or();
            if (!peek(')')) {
                throw error("missing ')'");
            }
            pos++;
            return inner;
        }
        return comparison();
    }

    private Predicate<T> comparison() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error(pos < text.length() ? "expected a field name but found '" + text.charAt(pos) + "'" : "expected a field name");
        }
        String fieldName = text.substring(start, pos);
        QueryField<T> field = fields.get(fieldName.toLowerCase(Locale.ROOT));
        if (field == null) {
            throw new FilterException("unknown field '" + fieldName + "' in filter");
        }
        String op = operator(fieldName);
        Object literal = field.literal(value(fieldName));
        return row -> matches(field, op, field.read(row), literal);
    }

    private static <T> boolean matches(QueryField<T> field, String op, Object value, Object literal) {
        if (value == null) {
            return false;
        }
        int c = field.compare(value, literal);
        switch (op) {
            case "==": return c == 0;
            case "!=": return c != 0;
            case "<": return c < 0;
            case ">": return c > 0;
            case "<=": return c <= 0;
            default: return c >= 0;
        }
    }

    private String operator(String fieldName) {
        skipSpaces();
        for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        throw error("expected a comparison operator (==, !=, <, >, <=, >=) after '" + fieldName + "'");
    }

    private String value(String fieldName) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '"') {
            return quoted();
        }
        StringBuilder sb = new StringBuilder();
        while (pos < text.length() && ";,)".indexOf(text.charAt(pos)) < 0) {
            char c = text.charAt(pos++);
            if (c == '"' || c == '(') {
                throw error("unexpected '" + c + "' in value");
            }
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        if (sb.length() == 0) {
            throw error("missing value for '" + fieldName + "'");
        }
        return sb.toString();
    }

    private String quoted() {
        int open = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                if (pos < text.length() && text.charAt(pos) == '"') {
                    sb.append('"');
                    pos++;
                } else {
                    return sb.toString();
                }
            } else {
                sb.append(c);
            }
        }
        pos = open;
        throw error("unterminated string");
    }

    private boolean peek(char c) {
        skipSpaces();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private FilterException error(String what) {
        return new FilterException("invalid filter at position " + (pos + 1) + ": " + what + " in '" + text + "'");
    }
}
