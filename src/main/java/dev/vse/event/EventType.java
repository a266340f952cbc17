package dev.vse.event;

import java.util.Arrays;

/** The three kinds of record; {@link #ceType()} is the CloudEvents {@code type} attribute. */
public enum EventType {
    /** Stopped with Success or Warning; topic {@code veeam.em.session.completed}. */
    COMPLETED("em.session.completed.v1"),
    /** Result Failed; topic {@code veeam.em.session.failed}. */
    FAILED("em.session.failed.v1"),
    /** Any change of a tracked field, first sight included; topic {@code veeam.em.session.changes}. */
    CHANGED("em.session.changed.v1");

    private final String ceType;

    EventType(String ceType) {
        this.ceType = ceType;
    }

    public String ceType() {
        return ceType;
    }

    public boolean isTerminal() {
        return this != CHANGED;
    }

    public static EventType fromCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown event type: " + ceType));
    }
}
