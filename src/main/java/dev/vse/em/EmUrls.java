package dev.vse.em;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** URL building for EM requests: rebasing EM's absolute links onto the configured base, strict query encoding. */
final class EmUrls {
    private EmUrls() { }

    /**
     * Resolves a relative path ({@code query}, {@code /backupSessions/x}) or one of EM's absolute
     * {@code Href}s against {@code base}. Absolute links keep their path and query but take the configured
     * scheme, host and port: EM writes its own FQDN into links, which may not resolve from here, and the
     * session token must only ever go to the configured server.
     */
    static String resolve(String base, String hrefOrPath) {
        if (hrefOrPath == null || hrefOrPath.isBlank()) {
            return base + "/";
        }
        if (hrefOrPath.startsWith("http://") || hrefOrPath.startsWith("https://")) {
            URI link = URI.create(hrefOrPath);
            String basePath = URI.create(base).getRawPath();
            String path = link.getRawPath() == null ? "" : link.getRawPath();
            if (!path.toLowerCase().startsWith(basePath.toLowerCase())) {
                throw new IllegalArgumentException("link outside the EM API " + basePath + ": " + path);
            }
            String rest = path.substring(basePath.length());
            return base + rest + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery());
        }
        return base + (hrefOrPath.startsWith("/") ? "" : "/") + hrefOrPath;
    }

    /** Appends {@code query} (values percent-encoded, RFC 3986 unreserved kept) to {@code url}. */
    static String withQuery(String url, Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url);
        char sep = url.indexOf('?') >= 0 ? '&' : '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    /** Removes every {@code name=...} parameter from the query of {@code url}. */
    static String withoutParam(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringBuilder kept = new StringBuilder();
        for (String part : url.substring(q + 1).split("&")) {
            String key = part.contains("=") ? part.substring(0, part.indexOf('=')) : part;
            if (!part.isEmpty() && !key.equalsIgnoreCase(name)) {
                kept.append(kept.length() == 0 ? "" : "&").append(part);
            }
        }
        return url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
    }

    /** Drops the query string. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (space becomes %20, not +). */
    static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return sb.toString();
    }

    /** {@code METHOD url} for messages and logs: no user info, logon-session ids masked (the token derives from them). */
    static String describe(String method, String url) {
        String u = url.replaceFirst("^(https?://)[^/@]*@", "$1")
                .replaceAll("(?i)(/logonSessions/)[^/?]+", "$1{id}");
        return method + " " + u;
    }
}
