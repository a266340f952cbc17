package dev.vse.model;

/**
 * The job session types a page can carry: the list element that wraps them (in {@code <Entities>} of a query
 * result, or as the root of a session list) and the session element itself. A new {@link JobSession} subtype
 * is one more constant here (and one more class in {@link EmXml}'s context).
 */
enum SessionElement {
    BACKUP("BackupJobSessions", "BackupJobSession", BackupJobSession.class),
    REPLICA("ReplicaJobSessions", "ReplicaJobSession", ReplicaJobSession.class);

    final String listName;
    final String sessionName;
    final Class<? extends JobSession> type;

    SessionElement(String listName, String sessionName, Class<? extends JobSession> type) {
        this.listName = listName;
        this.sessionName = sessionName;
        this.type = type;
    }

    /** The type whose list element is called {@code localName}, or null. */
    static SessionElement byListName(String localName) {
        for (SessionElement e : values()) {
            if (e.listName.equals(localName)) {
                return e;
            }
        }
        return null;
    }

    /** The type whose session element is called {@code localName}, or null. */
    static SessionElement bySessionName(String localName) {
        for (SessionElement e : values()) {
            if (e.sessionName.equals(localName)) {
                return e;
            }
        }
        return null;
    }
}
