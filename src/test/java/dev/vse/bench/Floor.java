package dev.vse.bench;

import static dev.vse.bench.BenchKit.f;

import dev.vse.em.EmFilter;
import dev.vse.model.EmXml;
import dev.vse.model.QueryResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The floor of the first load: what the two unavoidable steps cost on their own, in this JVM, for the benchmark's
 * estate. (a) JAXB unmarshalling of the exact query pages the simulator serves for the first load, through the
 * production {@link EmXml} (same JAXB context, same secured {@code XMLInputFactory}); (b) a raw idempotent
 * {@link KafkaProducer} sending as many records of the same size as the pipeline's first load published.
 */
final class Floor {
    private Floor() { }

    /** The XML bodies of the first load's query pages, fetched over HTTP and kept in memory. */
    record Pages(List<byte[]> bodies, long bytes, long sessions) {
        double bytesPerSession() {
            return sessions == 0 ? Double.NaN : bytes / (double) sessions;
        }
    }

    /** What the pipeline's first load published: the count and a sample to re-send (sizes as published). */
    record Published(long records, long keyBytes, long valueBytes, long headerBytes, List<ConsumerRecord<byte[], byte[]>> sample) {
        double avgBytes() {
            return records == 0 ? 0 : (keyBytes + valueBytes + headerBytes) / (double) records;
        }
    }

    /**
     * GETs every page the pipeline's first load asks for: per session type
     * {@code query?type=T&format=Entities&filter=(CreationTime>=W,EndTime>=W,State!=Stopped)&sortAsc=CreationTime
     * &pageSize=N&page=k} with W = now - lookback in whole seconds (PollPlanner's initial window), pages 1..PagesCount.
     */
    static Pages fetchFirstLoadPages(String baseUrl, List<String> types, int pageSize, Duration lookback) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest logon = HttpRequest.newBuilder(URI.create(baseUrl + "/sessionMngr/?v=latest"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> r = http.send(logon, HttpResponse.BodyHandlers.ofByteArray());
        String token = r.headers().firstValue("X-RestSvcSessionId").orElseThrow(() -> new IllegalStateException("no token"));
        Instant from = Instant.now().minus(lookback).truncatedTo(ChronoUnit.SECONDS);
        String filter = EmFilter.or(EmFilter.ge("CreationTime", from), EmFilter.ge("EndTime", from), EmFilter.ne("State", "Stopped"));
        List<byte[]> bodies = new ArrayList<>();
        long bytes = 0;
        long sessions = 0;
        for (String type : types) {
            int pages = 1;
            for (int page = 1; page <= pages; page++) {
                Map<String, String> q = new LinkedHashMap<>();
                q.put("type", type);
                q.put("format", "Entities");
                q.put("filter", filter);
                q.put("sortAsc", "CreationTime");
                q.put("pageSize", Integer.toString(pageSize));
                q.put("page", Integer.toString(page));
                StringBuilder url = new StringBuilder(baseUrl).append("/query");
                char sep = '?';
                for (var e : q.entrySet()) {
                    url.append(sep).append(e.getKey()).append('=')
                            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
                    sep = '&';
                }
                HttpResponse<byte[]> p = http.send(HttpRequest.newBuilder(URI.create(url.toString()))
                        .header("X-RestSvcSessionId", token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (p.statusCode() != 200) {
                    throw new IllegalStateException("floor fetch: " + p.statusCode() + " for " + url);
                }
                byte[] body = p.body();
                QueryResult qr = EmXml.unmarshal(body, QueryResult.class);
                pages = qr.getPagingInfo().getPagesCount();
                sessions += EmXml.readSessions(body).sessions().size();
                bodies.add(body);
                bytes += body.length;
            }
        }
        return new Pages(bodies, bytes, sessions);
    }

    /** Nanos of one pass of {@link EmXml#unmarshal(byte[])} (plain JAXB, production settings) over every page. */
    static long jaxbPass(Pages pages) {
        long t = System.nanoTime();
        long n = 0;
        for (byte[] b : pages.bodies()) {
            n += EmXml.unmarshal(b) == null ? 0 : 1;
        }
        if (n != pages.bodies().size()) {
            throw new IllegalStateException("unmarshal returned null");
        }
        return System.nanoTime() - t;
    }

    /** Nanos of one pass of the production page reader {@link EmXml#readSessions} (what the pipeline calls). */
    static long readSessionsPass(Pages pages) {
        long t = System.nanoTime();
        for (byte[] b : pages.bodies()) {
            EmXml.readSessions(b);
        }
        return System.nanoTime() - t;
    }

    /** Reads {@code topics} up to {@code endOffsets}: count and sizes of what was published, a uniform sample to re-send. */
    static Published published(String bootstrap, Map<TopicPartition, Long> endOffsets, int sampleSize) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long records = 0, keys = 0, values = 0, headers = 0;
        List<ConsumerRecord<byte[], byte[]>> sample = new ArrayList<>();
        java.util.Random random = new java.util.Random(1);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = endOffsets.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            parts.forEach(tp -> remaining.put(tp, endOffsets.get(tp)));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
                    Long end = remaining.get(tp);
                    if (end == null || rec.offset() >= end) {
                        continue;
                    }
                    records++;
                    keys += rec.key() == null ? 0 : rec.key().length;
                    values += rec.value() == null ? 0 : rec.value().length;
                    for (Header h : rec.headers()) {
                        headers += h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
                    }
                    // a uniform sample of everything read (reservoir)
                    if (sample.size() < sampleSize) {
                        sample.add(rec);
                    } else {
                        long j = random.nextLong(records);
                        if (j < sampleSize) {
                            sample.set((int) j, rec);
                        }
                    }
                    if (rec.offset() + 1 >= end) {
                        remaining.remove(tp);
                    }
                }
                for (TopicPartition tp : List.copyOf(remaining.keySet())) {
                    if (c.position(tp) >= remaining.get(tp)) {
                        remaining.remove(tp);
                    }
                }
            }
        }
        if (sample.isEmpty()) {
            throw new IllegalStateException("no published record read back");
        }
        return new Published(records, keys, values, headers, sample);
    }

    /**
     * The producer settings the pipeline states in application.properties ({@code camel.component.kafka.*}: acks,
     * idempotence, linger, batch size, timeouts), read from that file, so the floor's producer batches as the
     * pipeline's does.
     */
    static Properties producerProps(String bootstrap) {
        Properties app = new Properties();
        try (java.io.InputStream in = Floor.class.getResourceAsStream("/application.properties")) {
            app.load(in);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("application.properties not on the class path", e);
        }
        Map<String, String> names = Map.of(
                "request-required-acks", ProducerConfig.ACKS_CONFIG,
                "enable-idempotence", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "linger-ms", ProducerConfig.LINGER_MS_CONFIG,
                "producer-batch-size", ProducerConfig.BATCH_SIZE_CONFIG,
                "delivery-timeout-ms", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                "request-timeout-ms", ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                "max-block-ms", ProducerConfig.MAX_BLOCK_MS_CONFIG,
                "buffer-memory-size", ProducerConfig.BUFFER_MEMORY_CONFIG);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        names.forEach((camel, kafka) -> {
            String v = app.getProperty("camel.component.kafka." + camel);
            if (v != null) {
                p.put(kafka, v.trim());
            }
        });
        if (!"all".equals(p.get(ProducerConfig.ACKS_CONFIG)) || !"true".equals(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG))) {
            throw new IllegalStateException("the floor compares with acks=all and idempotence; application.properties says " + p);
        }
        return p;
    }

    /**
     * Sends {@code count} records cycling through {@code published.sample()} (same keys, values and headers, so the
     * same sizes and partition spread) to {@code topic}; returns the nanos from the first send to the last ack.
     * A warm-up of 1,000 records (metadata, connections, idempotent producer id) is sent and acknowledged first.
     */
    static long kafkaPass(String bootstrap, String topic, Published published, long count) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> sample = published.sample();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap))) {
            send(producer, topic, sample, 1000);
            return send(producer, topic, sample, count);
        }
    }

    private static long send(KafkaProducer<byte[], byte[]> producer, String topic, List<ConsumerRecord<byte[], byte[]>> sample,
            long count) throws Exception {
        CountDownLatch acks = new CountDownLatch((int) count);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t = System.nanoTime();
        for (long i = 0; i < count; i++) {
            ConsumerRecord<byte[], byte[]> s = sample.get((int) (i % sample.size()));
            List<Header> headers = new ArrayList<>();
            for (Header h : s.headers()) {
                headers.add(new RecordHeader(h.key(), h.value()));
            }
            producer.send(new ProducerRecord<>(topic, null, s.key(), s.value(), headers), (md, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
                acks.countDown();
            });
        }
        producer.flush();
        acks.await();
        long nanos = System.nanoTime() - t;
        if (failure.get() != null) {
            throw failure.get();
        }
        return nanos;
    }

    static String describe(Pages pages, Published pub) {
        return f("%d pages, %,d sessions, %,.1f MB of XML (%.0f bytes/session); %,d records published, avg %.0f bytes "
                        + "(key %.0f + value %.0f + headers %.0f)", pages.bodies().size(), pages.sessions(), pages.bytes() / 1e6,
                pages.bytesPerSession(), pub.records(), pub.avgBytes(), pub.keyBytes() / (double) pub.records(),
                pub.valueBytes() / (double) pub.records(), pub.headerBytes() / (double) pub.records());
    }
}
