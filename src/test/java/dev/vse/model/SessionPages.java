package dev.vse.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/** Test bodies: fixture files, and query pages of any size built from {@code model/session-template.xml}. */
final class SessionPages {
    static final String GOOD_CREATION = "2025-08-15T20:00:24.003406Z";
    private static final String TEMPLATE = new String(resource("/model/session-template.xml"), StandardCharsets.UTF_8).strip();

    private SessionPages() { }

    static byte[] resource(String path) {
        try (InputStream in = SessionPages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The id part of session {@code n}'s UID, deterministic. */
    static String id(int n) {
        return String.format("%08x-0000-4000-8000-%012x", n, n);
    }

    static String uid(int n) {
        return "urn:veeam:BackupJobSession:" + id(n);
    }

    /** Session {@code n} (1-based) with the given creation time as raw text. */
    static String session(int n, String creation) {
        return TEMPLATE.replace("@ID@", id(n)).replace("@N@", Integer.toString(n)).replace("@CREATED@", creation);
    }

    /** A query page of {@code count} sessions, {@code creation.apply(n)} the raw creation time of session n. */
    static byte[] page(int count, IntFunction<String> creation) {
        StringBuilder b = new StringBuilder(count * 2200 + 1024);
        b.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n")
                .append("<QueryResult xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ")
                .append("xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"http://www.veeam.com/ent/v1.0\">\r\n")
                .append("    <Entities>\r\n        <BackupJobSessions>\r\n");
        for (int n = 1; n <= count; n++) {
            b.append("            ").append(session(n, creation.apply(n))).append("\r\n");
        }
        b.append("        </BackupJobSessions>\r\n    </Entities>\r\n")
                .append("    <PagingInfo PageNum=\"1\" PageSize=\"").append(count).append("\" PagesCount=\"7\">\r\n")
                .append("        <Links>\r\n            <Link Href=\"https://em.example.local:9398/api/query?type=BackupJobSession")
                .append("&amp;format=Entities&amp;pageSize=").append(count).append("&amp;page=2\" Rel=\"Next\" />\r\n")
                .append("        </Links>\r\n    </PagingInfo>\r\n</QueryResult>\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A page of {@code count} good sessions. */
    static byte[] page(int count) {
        return page(count, n -> GOOD_CREATION);
    }

    static byte[] withBom(byte[] body) {
        byte[] b = new byte[body.length + 3];
        b[0] = (byte) 0xEF;
        b[1] = (byte) 0xBB;
        b[2] = (byte) 0xBF;
        System.arraycopy(body, 0, b, 3, body.length);
        return b;
    }
}
