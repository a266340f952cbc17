package dev.vse.simulator;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A filterable/sortable field of a query type: its name, how to read it from a row, and how its values compare.
 * Enumerations compare by index as EM documents ({@code Result>Success} = Warning or Failed); values the
 * enumeration does not know sort after the known ones, by name.
 */
public final class QueryField<T> {
    /** Result order. EM documents Success &lt; Warning &lt; Failed; {@code None} (running) is put first — undocumented choice. */
    public static final List<String> RESULT_ORDER = List.of("None", "Success", "Warning", "Failed");
    /** Job session state order as listed by the query documentation. */
    public static final List<String> STATE_ORDER = List.of("Starting", "Working", "Pausing", "Resuming", "Stopping", "Stopped");
    /** Task session state order. */
    public static final List<String> TASK_STATE_ORDER = List.of("Pending", "InProgress", "Completed");

    enum Kind { STRING, DATE, BOOLEAN, NUMBER, ENUM }

    private final String name;
    private final Kind kind;
    private final Function<T, Object> getter;
    private final List<String> order;

    private QueryField(String name, Kind kind, Function<T, Object> getter, List<String> order) {
        this.name = name;
        this.kind = kind;
        this.getter = getter;
        this.order = order;
    }

    static <T> QueryField<T> string(String name, Function<T, Object> g) { return new QueryField<>(name, Kind.STRING, g, null); }
    static <T> QueryField<T> date(String name, Function<T, Object> g) { return new QueryField<>(name, Kind.DATE, g, null); }
    static <T> QueryField<T> bool(String name, Function<T, Object> g) { return new QueryField<>(name, Kind.BOOLEAN, g, null); }
    static <T> QueryField<T> number(String name, Function<T, Object> g) { return new QueryField<>(name, Kind.NUMBER, g, null); }
    static <T> QueryField<T> enumeration(String name, List<String> order, Function<T, Object> g) {
        return new QueryField<>(name, Kind.ENUM, g, order);
    }

    public String name() { return name; }

    Object read(T row) { return getter.apply(row); }

    /** Converts a filter literal to a comparable value of this field; throws {@link FilterException} if it does not fit. */
    Object literal(String text) {
        switch (kind) {
            case DATE:
                try {
                    Instant i = dev.vse.model.UtcInstantAdapter.parse(text);
                    if (i == null) {
                        throw new FilterException("empty date for field " + name);
                    }
                    return i;
                } catch (DateTimeParseException e) {
                    throw new FilterException("invalid date '" + text + "' for field " + name + " (expected UTC like 2025-08-15T06:00:00Z)");
                }
            case BOOLEAN:
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
                }
                throw new FilterException("invalid boolean '" + text + "' for field " + name);
            case NUMBER:
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new FilterException("invalid number '" + text + "' for field " + name);
                }
            default:
                return text;
        }
    }

    /** Compares a row value with a literal; the row value is never null here. */
    int compare(Object value, Object literal) {
        switch (kind) {
            case DATE: return ((Instant) value).compareTo((Instant) literal);
            case BOOLEAN: return Boolean.compare((Boolean) value, (Boolean) literal);
            case NUMBER: return Long.compare(((Number) value).longValue(), ((Number) literal).longValue());
            case ENUM: return enumComparator().compare(value.toString(), literal.toString());
            default: return value.toString().compareToIgnoreCase(literal.toString());
        }
    }

    private Comparator<String> enumComparator() {
        return Comparator.<String>comparingInt(this::enumIndex).thenComparing(String.CASE_INSENSITIVE_ORDER);
    }

    private int enumIndex(String v) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).equalsIgnoreCase(v)) {
                return i;
            }
        }
        return order.size();
    }

    /** Comparator over rows for sorting; rows without a value sort first. */
    Comparator<T> rowComparator() {
        return (a, b) -> {
            Object x = read(a);
            Object y = read(b);
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : -1) : 1;
            }
            return compare(x, y);
        };
    }
}
