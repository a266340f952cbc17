package dev.vse.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} of {@code STATE_STORE=kafka}: the state lives in a compacted topic ({@code TOPIC_STATE}),
 * one record per thing the {@link FileStateStore} keeps, so that compaction keeps exactly that:
 * <ul>
 *   <li>{@code <emId>|s|<sessionUid>}: the session snapshot ({@link StoreCodec#snapshot}, the file store's JSON);
 *       pruning and forgetting write a tombstone;</li>
 *   <li>{@code <emId>|w|<sessionType>}: the watermark; {@code <emId>|B|<sessionType>}: the baseline instant,
 *       written once;</li>
 *   <li>{@code <emId>|j|<jobUid>}: the job incident's encoded state; a closed incident is a tombstone.</li>
 * </ul>
 * ({@code %} and {@code |} in an EM id are written {@code %25}, {@code %7C}.) All records of an EM go to one
 * partition, a stable hash of the EM id modulo the topic's partition count, so that taking an EM reads one partition.
 *
 * <p>Per EM one transactional producer, {@code transactional.id = <prefix><emId>}. Taking an EM (its first use)
 * calls {@code initTransactions()}, which fences any older producer of that id and ends its open transaction, then
 * reads the partition from the beginning, {@code read_committed}, up to its end (the last stable offset) into the
 * same in-memory {@link SessionTable} the file store uses; keys of other EMs are skipped. Every write is one
 * transaction: a page's records and its state records together ({@link #commitWithRecords}), or a small one of its
 * own (watermark, baseline, prune, forget). The in-memory table changes only after the commit returned. Any failure
 * aborts; since the outcome of a failed commit may be unknown (a broker restart during the commit), the EM is then
 * dropped from memory and taken again on next use: a new {@code initTransactions()} settles the old transaction,
 * and the partition is read back, so memory equals what Kafka committed. A fenced producer
 * ({@link ProducerFencedException}, {@link InvalidProducerEpochException}) gives the EM up at once: the callback
 * given to {@link #onFenced} is told, the producer is closed, and {@link EmReleasedException} is thrown.
 */
public final class KafkaStateStore extends SessionTableStore {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateStore.class);
    /** Default {@code state.kafka.transactional-id-prefix}. */
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "veeam-session-events-";
    private static final SessionTable NOT_OWNED = new SessionTable(null);

    private final Properties client;
    private final Properties producer;
    private final String topic;
    private final String transactionalIdPrefix;
    private final Duration loadTimeout;
    private final Map<String, Em> ems = new ConcurrentHashMap<>();
    private volatile Predicate<String> owns = em -> true;
    private volatile BiConsumer<String, String> fenced = (em, why) -> { };

    /**
     * @param client                bootstrap servers and security (every other producer/consumer setting is set
     *                              here)
     * @param topic                 the compacted state topic; must exist (TOPICS_CREATE creates it)
     * @param transactionalIdPrefix prefix of the per-EM {@code transactional.id}
     * @param loadTimeout           how long taking an EM may read its partition
     */
    public KafkaStateStore(Properties client, String topic, String transactionalIdPrefix, Duration loadTimeout) {
        this(client, new Properties(), topic, transactionalIdPrefix, loadTimeout);
    }

    /**
     * As above; {@code producer} holds producer settings over the defaults here (delivery, request and max-block
     * timeouts, linger: the app gives the ones of its camel-kafka producers).
     */
    public KafkaStateStore(Properties client, Properties producer, String topic, String transactionalIdPrefix,
                           Duration loadTimeout) {
        this.producer = producer;
        this.client = client;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.transactionalIdPrefix = Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
        this.loadTimeout = loadTimeout;
    }

    /** Which EMs this instance owns: an EM not owned is never taken (reads are empty, writes refused). */
    public void ownership(Predicate<String> owns, BiConsumer<String, String> onFenced) {
        this.owns = owns;
        this.fenced = onFenced;
    }

    /** Told, once per fencing, which EM was given up and why (one line). */
    public void onFenced(BiConsumer<String, String> onFenced) {
        this.fenced = onFenced;
    }

    public String topic() {
        return topic;
    }

    /** The {@code transactional.id} of an EM's producer. */
    public String transactionalId(String emId) {
        return transactionalIdPrefix + emId;
    }

    /** The partition of an EM's records among {@code partitions}: murmur2 of the EM id, as Kafka hashes keys. */
    public static int partitionOf(String emId, int partitions) {
        return Utils.toPositive(Utils.murmur2(emId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The record key of one thing stored: {@code <emId>|<kind>|<id>}. */
    static String key(String emId, char kind, String id) {
        return escape(emId) + "|" + kind + "|" + id;
    }

    static String escape(String emId) {
        return emId.replace("%", "%25").replace("|", "%7C");
    }

    @Override
    public boolean writesWithRecords() {
        return true;
    }

    // --- reads: from memory ------------------------------------------------------------------------

    // --- writes: one transaction each ----------------------------------------------------------------

    @Override
    public void commit(String emId, Collection<SessionSnapshot> snapshots, Collection<IncidentEntry> incidents) {
        commitWithRecords(emId, List.of(), snapshots, incidents);
    }

    /**
     * One page: its Kafka records (events, job alerts; already serialised, headers set) and its state records in one
     * transaction; the in-memory state advances once it committed.
     */
    public void commitWithRecords(String emId, List<ProducerRecord<String, byte[]>> records,
                                  Collection<SessionSnapshot> snapshots, Collection<IncidentEntry> incidents) {
        if (records.isEmpty() && snapshots.isEmpty() && incidents.isEmpty()) {
            return;
        }
        Em em = owned(emId);
        synchronized (em) {
            SessionTable table = em.ready();
            List<ProducerRecord<String, byte[]>> all = new ArrayList<>(records.size() + snapshots.size() + incidents.size());
            all.addAll(records);
            for (IncidentEntry i : incidents) {
                all.add(em.record(key(emId, 'j', i.jobUid()), i.state() == null ? null : StoreCodec.incident(i)));
            }
            for (SessionSnapshot s : snapshots) {
                all.add(em.record(key(emId, 's', s.uid()), StoreCodec.snapshot(s)));
            }
            em.transact(all);
            incidents.forEach(table::incident);
            table.putAll(snapshots);
        }
    }

    @Override
    public void commitWatermark(String emId, String sessionType, Instant watermark) {
        Em em = owned(emId);
        synchronized (em) {
            SessionTable table = em.ready();
            em.transact(List.of(em.record(key(emId, 'w', sessionType), StoreCodec.watermark(sessionType, watermark))));
            table.watermark(sessionType, watermark);
        }
    }

    @Override
    public void commitBaseline(String emId, String sessionType, Instant at) {
        Objects.requireNonNull(sessionType, "sessionType");
        Objects.requireNonNull(at, "at");
        Em em = owned(emId);
        synchronized (em) {
            SessionTable table = em.ready();
            if (table.baseline(sessionType).isPresent()) {
                return; // the first value wins
            }
            em.transact(List.of(em.record(key(emId, 'B', sessionType), StoreCodec.baseline(sessionType, at))));
            table.baseline(sessionType, at);
        }
    }

    @Override
    public void prune(String emId, Instant stoppedBefore) {
        Em em = owned(emId);
        synchronized (em) {
            SessionTable table = em.ready();
            tombstones(em, table, table.prunable(stoppedBefore));
        }
    }

    @Override
    public void forget(String emId, Collection<String> uids) {
        Em em = owned(emId);
        synchronized (em) {
            SessionTable table = em.ready();
            tombstones(em, table, table.tracked(uids));
        }
    }

    private void tombstones(Em em, SessionTable table, List<String> uids) {
        if (uids.isEmpty()) {
            return;
        }
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(uids.size());
        for (String uid : uids) {
            out.add(em.record(key(em.emId, 's', uid), null));
        }
        em.transact(out);
        table.forget(uids);
    }

    /**
     * Gives an EM up (its leadership moved elsewhere, or it was fenced): closes its producer and forgets its state in
     * memory; taken again (and read back from Kafka) on its next use while owned.
     */
    public void release(String emId) {
        Em em = ems.remove(emId);
        if (em != null) {
            synchronized (em) {
                em.drop();
            }
        }
    }

    /** Whether the EM is taken now (its producer initialised and its partition read). */
    public boolean isTaken(String emId) {
        Em em = ems.get(emId);
        return em != null && em.table != null;
    }

    @Override
    public void close() {
        for (String emId : List.copyOf(ems.keySet())) {
            release(emId);
        }
    }

    // --- per EM ------------------------------------------------------------------------------------

    @Override
    SessionTable table(String emId) {
        if (!owns.test(emId)) {
            return NOT_OWNED;
        }
        Em em = em(emId);
        SessionTable t = em.table;
        if (t != null) {
            return t;
        }
        synchronized (em) {
            return em.ready();
        }
    }

    private Em owned(String emId) {
        if (!owns.test(emId)) {
            throw new EmReleasedException(emId, "EM " + emId + " is not owned by this instance", null);
        }
        return em(emId);
    }

    private Em em(String emId) {
        return ems.computeIfAbsent(emId, Em::new);
    }

    private final class Em {
        final String emId;
        volatile SessionTable table;
        KafkaProducer<String, byte[]> producer;
        int partition = -1;

        Em(String emId) {
            this.emId = emId;
        }

        /** Takes the EM when not yet taken: initTransactions (fences older producers), then reads its partition. */
        SessionTable ready() {
            if (table != null) {
                return table;
            }
            if (!owns.test(emId)) {
                throw new EmReleasedException(emId, "EM " + emId + " is not owned by this instance", null);
            }
            long t0 = System.nanoTime();
            try {
                producer = new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
                producer.initTransactions();
                List<PartitionInfo> partitions = producer.partitionsFor(topic);
                if (partitions == null || partitions.isEmpty()) {
                    throw new IllegalStateException("state topic " + topic + " has no partitions");
                }
                partition = partitionOf(emId, partitions.size());
                SessionTable loaded = load();
                table = loaded;
                LOG.info("EM {}: state taken from {}-{} ({} sessions, transactional.id {}) in {} ms", emId, topic,
                        partition, loaded.size(), transactionalId(emId), (System.nanoTime() - t0) / 1_000_000);
                return loaded;
            } catch (RuntimeException e) {
                drop();
                if (isFencing(e)) {
                    throw fencedNow(e);
                }
                throw e;
            }
        }

        private SessionTable load() {
            SessionTable t = new SessionTable(emId);
            TopicPartition tp = new TopicPartition(topic, partition);
            String prefix = escape(emId) + "|";
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                long end = c.endOffsets(List.of(tp), loadTimeout).get(tp);
                long deadline = System.nanoTime() + loadTimeout.toNanos();
                while (c.position(tp, loadTimeout) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("EM " + emId + ": reading " + tp + " to offset " + end
                                + " took more than " + loadTimeout.toSeconds() + " s");
                    }
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                        if (r.key() != null && r.key().startsWith(prefix) && r.key().length() > prefix.length() + 1
                                && r.key().charAt(prefix.length() + 1) == '|') {
                            apply(t, r.key().charAt(prefix.length()), r.key().substring(prefix.length() + 2), r.value());
                        }
                    }
                }
            }
            return t;
        }

        private void apply(SessionTable t, char kind, String id, byte[] value) {
            try {
                switch (kind) {
                    case 's' -> {
                        if (value == null) {
                            t.forget(List.of(id));
                        } else {
                            t.put(StoreCodec.snapshot(emId, value, null));
                        }
                    }
                    case 'j' -> t.incident(value == null ? new IncidentEntry(id, null)
                            : StoreCodec.incident(StoreCodec.parse(value)));
                    case 'w' -> {
                        if (value != null) {
                            JsonNode n = StoreCodec.parse(value);
                            t.watermark(id, StoreCodec.instant(n, "at"));
                        }
                    }
                    case 'B' -> {
                        if (value != null) {
                            JsonNode n = StoreCodec.parse(value);
                            t.baseline(id, StoreCodec.instant(n, "at"));
                        }
                    }
                    default -> LOG.debug("EM {}: state record of unknown kind {} skipped", emId, kind);
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("EM " + emId + ": unreadable state record " + kind + "|" + id + ": "
                        + e.getMessage(), e);
            }
        }

        ProducerRecord<String, byte[]> record(String key, byte[] value) {
            return new ProducerRecord<>(topic, partition, key, value);
        }

        /** One transaction; on any failure the EM is dropped (and, when fenced, given up) and the failure thrown. */
        void transact(List<ProducerRecord<String, byte[]>> records) {
            if (records.isEmpty()) {
                return;
            }
            try {
                producer.beginTransaction();
                for (ProducerRecord<String, byte[]> r : records) {
                    producer.send(r);
                }
                producer.commitTransaction(); // flushes; throws when any send failed
            } catch (RuntimeException e) {
                // aborting is closing: a new initTransactions() settles whatever the broker holds of this one
                ems.remove(emId, this);
                drop();
                if (isFencing(e)) {
                    throw fencedNow(e);
                }
                throw new IllegalStateException("EM " + emId + ": Kafka transaction failed, nothing of it is used ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
            }
        }

        private EmReleasedException fencedNow(RuntimeException e) {
            String why = "producer " + transactionalId(emId) + " fenced by a newer one (" + e.getClass().getSimpleName()
                    + "): another instance polls this EM";
            ems.remove(emId, this);
            fenced.accept(emId, why);
            return new EmReleasedException(emId, "EM " + emId + " given up: " + why, e);
        }

        void drop() {
            table = null;
            if (producer != null) {
                try {
                    producer.close(Duration.ZERO);
                } catch (RuntimeException ignored) {
                    // closing a failed producer
                }
                producer = null;
            }
        }

        private Properties producerProperties() {
            Properties p = new Properties();
            p.putAll(client);
            p.putAll(KafkaStateStore.this.producer);
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(emId));
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "vse-state-" + emId);
            p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
            p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
            return p;
        }

        private Properties consumerProperties() {
            Properties p = new Properties();
            p.putAll(client);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "vse-state-load-" + emId);
            p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
            return p;
        }
    }

    static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
