package dev.vse.em;

import dev.vse.model.LogonSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logon to one EM: logs on lazily ({@code POST /sessionMngr/?v=latest}, Basic auth, 201 with the token in
 * {@code X-RestSvcSessionId}), caches the token, logs on again when a token was refused, logs out at the end.
 * Thread-safe. Neither the password nor the token is ever logged or put into a message.
 */
final class EmLogon {
    private static final Logger LOG = LoggerFactory.getLogger(EmLogon.class);

    private final EmHttp http;
    private final EmServerConfig config;
    private final Object lock = new Object();
    private volatile Token current;

    /** A logon: the token (never logged) and EM's {@code LogonSession}. Compared by identity. */
    static final class Token {
        private final String value;
        private final LogonSession session;

        private Token(String value, LogonSession session) {
            this.value = value;
            this.session = session;
        }

        /** Headers that authenticate a request with this token. */
        Map<String, String> headers() { return Map.of(EmHttp.TOKEN_HEADER, value); }

        LogonSession session() { return session; }

        @Override
        public String toString() {
            return "Token[session " + session.getSessionId() + "]";
        }
    }

    EmLogon(EmHttp http) {
        this.http = http;
        this.config = http.config();
    }

    /** The cached token; logs on first when there is none. */
    Token current() {
        Token t = current;
        if (t != null) {
            return t;
        }
        synchronized (lock) {
            if (current == null) {
                current = logonNow();
            }
            return current;
        }
    }

    /** Logs on now, replacing any cached token. */
    void logon() {
        synchronized (lock) {
            current = logonNow();
        }
    }

    /**
     * Logs on again after {@code refused} got a 401, unless another thread already replaced it: then its
     * token is used, so that concurrent pollers hitting one expiry cause one logon.
     */
    Token relogon(Token refused) {
        synchronized (lock) {
            if (current != null && current != refused) {
                return current;
            }
            current = logonNow();
            return current;
        }
    }

    /** Forgets the token and deletes its logon session ({@code DELETE /logonSessions/{id}}), best effort. */
    void logout() {
        Token last;
        synchronized (lock) {
            last = current;
            current = null;
        }
        if (last == null || last.session().getSessionId() == null) {
            return;
        }
        String url = config.baseUrl() + "/logonSessions/" + EmUrls.encode(last.session().getSessionId());
        try {
            EmHttp.Outcome raw = http.execute("DELETE", url, last.headers());
            if (raw.status() / 100 == 2) {
                LOG.info("EM {}: logged out", config.id());
            } else {
                LOG.warn("EM {}: logout {} answered HTTP {}", config.id(), raw.request(), raw.status());
            }
        } catch (EmRequestException e) {
            LOG.warn("EM {}: logout failed: {}", config.id(), e.getMessage());
        }
    }

    private Token logonNow() {
        if (config.username() == null || config.password() == null) {
            throw new IllegalStateException("EM " + config.id() + ": no credentials configured");
        }
        String basic = Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        EmHttp.Outcome raw = http.execute("POST", config.baseUrl() + "/sessionMngr/?v=latest",
                Map.of("Authorization", "Basic " + basic));
        if (raw.status() == 401) {
            throw http.failure(FailureKind.AUTHENTICATION, raw, "credentials of user '" + config.username() + "' refused");
        }
        EmResponse response = http.requireSuccess(raw);
        if (raw.token() == null || raw.token().isBlank()) {
            throw http.failure(FailureKind.MALFORMED, raw, "logon answered without " + EmHttp.TOKEN_HEADER + " header");
        }
        LogonSession session = http.parse(response, LogonSession.class);
        LOG.info("EM {}: logged on as '{}'", config.id(), config.username());
        return new Token(raw.token(), session);
    }
}
