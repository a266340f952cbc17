package dev.vse.faults;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hostile XML bodies shaped like a real query page, so that an expanded entity would end up in a session's
 * {@code JobName} and from there in a Kafka record. A local file holds a unique marker (it must never appear
 * in any output), and a local HTTP server counts fetches (it must never be asked for anything).
 */
final class HostileXml implements AutoCloseable {
    final String marker = "SECRET-" + UUID.randomUUID();
    final Path secret;
    final Path evilDtd;
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();

    HostileXml(Path dir) throws IOException {
        secret = dir.resolve("secret.txt");
        Files.writeString(secret, marker + "\n");
        evilDtd = dir.resolve("evil.dtd");
        Files.writeString(evilDtd, "<!ENTITY % file SYSTEM \"" + secret.toUri() + "\">\n"
                + "<!ENTITY % wrap \"<!ENTITY stolen '%file;'>\">\n%wrap;\n");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            fetches.incrementAndGet();
            byte[] b = ("<!ENTITY stolen \"" + marker + "\">").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    /** How many times anything was fetched from the local HTTP server (must stay 0). */
    int fetches() {
        return fetches.get();
    }

    String httpUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** name -> body. */
    Map<String, byte[]> payloads() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("internal DTD", page("<!DOCTYPE QueryResult [<!ELEMENT QueryResult ANY>]>", "Plain"));
        m.put("external entity (file)", page("<!DOCTYPE QueryResult [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>", "&xxe;"));
        m.put("external entity (absolute path)", page("<!DOCTYPE QueryResult [<!ENTITY xxe SYSTEM \"" + secret + "\">]>", "&xxe;"));
        m.put("external entity (http)", page("<!DOCTYPE QueryResult [<!ENTITY xxe SYSTEM \"" + httpUrl("xxe") + "\">]>", "&xxe;"));
        m.put("parameter entity (file)", page("<!DOCTYPE QueryResult [<!ENTITY % p SYSTEM \"" + secret.toUri() + "\"> %p;]>", "Plain"));
        m.put("parameter entity (external DTD, exfiltration)", page("<!DOCTYPE QueryResult [<!ENTITY % dtd SYSTEM \""
                + evilDtd.toUri() + "\"> %dtd;]>", "&stolen;"));
        m.put("external DTD (http)", page("<!DOCTYPE QueryResult SYSTEM \"" + httpUrl("evil.dtd") + "\">", "&stolen;"));
        m.put("billion laughs", page(billionLaughs(), "&lol9;"));
        m.put("quadratic blowup", page("<!DOCTYPE QueryResult [<!ENTITY a \"" + "x".repeat(50_000) + "\">]>",
                "&a;".repeat(20_000)));
        m.put("undeclared entity without DTD", page("", "&xxe;"));
        return m;
    }

    static String billionLaughs() {
        StringBuilder b = new StringBuilder("<!DOCTYPE QueryResult [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String prev = i == 1 ? "lol" : "lol" + (i - 1);
            b.append("<!ENTITY lol").append(i).append(" \"").append(("&" + prev + ";").repeat(10)).append("\">");
        }
        return b.append("]>").toString();
    }

    /** A one-session query page, {@code doctype} after the XML declaration, {@code jobName} as raw markup. */
    static byte[] page(String doctype, String jobName) {
        String uid = UUID.randomUUID().toString();
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>" + doctype
                + "<QueryResult xmlns=\"http://www.veeam.com/ent/v1.0\"><Entities><BackupJobSessions>"
                + "<BackupJobSession Href=\"http://em/api/backupSessions/" + uid + "?format=Entity\" Type=\"BackupJobSession\""
                + " Name=\"n\" UID=\"urn:veeam:BackupJobSession:" + uid + "\">"
                + "<JobUid>urn:veeam:Job:" + uid + "</JobUid><JobName>" + jobName + "</JobName><JobType>Backup</JobType>"
                + "<CreationTimeUTC>2025-08-15T20:00:24Z</CreationTimeUTC><EndTimeUTC>2025-08-15T20:04:13Z</EndTimeUTC>"
                + "<State>Stopped</State><Result>Failed</Result><Progress>100</Progress><IsRetry>false</IsRetry>"
                + "</BackupJobSession></BackupJobSessions></Entities>"
                + "<PagingInfo PageNum=\"1\" PageSize=\"100\" PagesCount=\"1\"/></QueryResult>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
