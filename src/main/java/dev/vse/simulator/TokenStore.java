package dev.vse.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Logon sessions. The token is base64 of the ASCII SessionId GUID (as observed on real EM). A token expires when
 * idle longer than the timeout; every successful request refreshes it.
 */
final class TokenStore {
    static final class Logon {
        final String sessionId;
        final String token;
        final String user;
        volatile Instant lastUse;
        final AtomicInteger queryPages = new AtomicInteger();

        Logon(String sessionId, String token, String user, Instant now) {
            this.sessionId = sessionId;
            this.token = token;
            this.user = user;
            this.lastUse = now;
        }
    }

    private final Map<String, Logon> byToken = new ConcurrentHashMap<>();
    private final Duration idleTimeout;

    TokenStore(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    Logon issue(String user, Instant now) {
        String id = UUID.randomUUID().toString();
        String token = Base64.getEncoder().encodeToString(id.getBytes(StandardCharsets.US_ASCII));
        Logon l = new Logon(id, token, user, now);
        byToken.put(token, l);
        return l;
    }

    /** The logon for {@code token} if valid now; refreshes its last use. */
    Optional<Logon> use(String token, Instant now) {
        if (token == null) {
            return Optional.empty();
        }
        Logon l = byToken.get(token.trim());
        if (l == null) {
            return Optional.empty();
        }
        if (Duration.between(l.lastUse, now).compareTo(idleTimeout) > 0) {
            byToken.remove(l.token);
            return Optional.empty();
        }
        if (now.isAfter(l.lastUse)) {
            l.lastUse = now;
        }
        return Optional.of(l);
    }

    List<Logon> active(Instant now) {
        List<Logon> out = new ArrayList<>();
        for (Logon l : byToken.values()) {
            if (Duration.between(l.lastUse, now).compareTo(idleTimeout) <= 0) {
                out.add(l);
            }
        }
        return out;
    }

    Optional<Logon> bySessionId(String sessionId) {
        return byToken.values().stream().filter(l -> l.sessionId.equalsIgnoreCase(sessionId)).findFirst();
    }

    void invalidate(Logon l) {
        byToken.remove(l.token);
    }

    void invalidateAll() {
        byToken.clear();
    }
}
