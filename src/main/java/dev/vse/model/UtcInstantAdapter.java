package dev.vse.model;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * EM timestamps: UTC with 0 to 7 fractional digits ({@code 2014-10-19T05:22:52Z},
 * {@code 2025-08-15T20:00:24.003406Z}, {@code 05:47:39.7Z}); some servers omit the {@code Z}.
 * A value without an offset is read as UTC. Blank means absent.
 */
public class UtcInstantAdapter extends XmlAdapter<String, Instant> {

    @Override
    public Instant unmarshal(String value) {
        return parse(value);
    }

    @Override
    public String marshal(Instant value) {
        return value == null ? null : value.toString();
    }

    /** Parses an EM timestamp; throws {@link DateTimeParseException} on garbage. */
    public static Instant parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException noOffset) {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        }
    }
}
