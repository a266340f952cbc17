package dev.vse.app;

import dev.vse.detect.ChangeDetector;
import dev.vse.detect.Detection;
import dev.vse.detect.InvalidSessionException;
import dev.vse.em.EmClient;
import dev.vse.em.EmRetry;
import dev.vse.em.EmSource;
import dev.vse.em.QueryPage;
import dev.vse.em.SessionQuery;
import dev.vse.event.CloudEventMapper;
import dev.vse.event.EventType;
import dev.vse.event.SessionEvent;
import dev.vse.util.Durations;
import dev.vse.util.OneLine;
import io.cloudevents.CloudEvent;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.main.Main;
import org.apache.camel.support.DefaultMessage;

import static dev.vse.em.EmFilter.and;
import static dev.vse.em.EmFilter.ge;
import static dev.vse.em.EmFilter.lt;
import static dev.vse.em.EmFilter.or;

/**
 * {@code veeam-session-events replay --em ID --from T [--to T] [--topics changes,completed,failed]}: asks the EM for
 * the sessions created or ended in {@code [from, to)} and publishes for each what detection publishes at first sight
 * — CHANGED with no previous state, plus COMPLETED or FAILED once it ended — with the same deterministic
 * {@code ce_id}s ({@link dev.vse.event.EventIds}), so terminal records carry the ids of the originals. The state
 * store is not opened. Configuration (EM, Kafka, topics, Camel's Kafka keys) as for the pipeline.
 * Exit codes: 0; 1 when EM or Kafka failed midway (what was sent stays sent); 2 for a usage or configuration
 * error; 3 when Kafka does not answer within {@code kafka.startup-timeout}.
 */
public final class ReplayCommand {
    static final String USAGE = "usage: java -jar veeam-session-events.jar replay --em ID --from T [--to T]"
            + " [--topics changes,completed,failed]";
    /** Larger records would be refused by Kafka (ChangeStage parks such sessions; here they are skipped). */
    private static final int MAX_DATA_BYTES = 1_000_000;
    private static final Map<String, EventType> TOPIC_NAMES = Map.of("changes", EventType.CHANGED,
            "completed", EventType.COMPLETED, "failed", EventType.FAILED);

    private ReplayCommand() { }

    /** The options, parsed. */
    record Options(String emId, Instant from, Instant to, Set<EventType> types) { }

    public static int run(String[] args, Map<String, String> env, Map<String, String> overrides, PrintStream out,
                          PrintStream err, Clock clock) {
        Options o;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                help(out);
                return 0;
            }
            o = parse(args, clock.instant());
        } catch (IllegalArgumentException e) {
            err.println("veeam-session-events replay: " + e.getMessage() + "; " + USAGE);
            return 2;
        }
        Settings settings;
        AppConfig config;
        EmSource em;
        KafkaStartupCheck kafka;
        try {
            settings = Settings.load(env, overrides);
            config = AppConfig.from(settings);
            em = config.ems().stream().filter(e -> e.id().equals(o.emId())).findFirst().orElseThrow(() ->
                    new ConfigException("no EM with id '" + o.emId() + "' is configured (configured: "
                            + config.ems().stream().map(EmSource::id).collect(Collectors.joining(", ")) + ")"));
            kafka = KafkaStartupCheck.from(settings);
        } catch (ConfigException e) {
            err.println("veeam-session-events replay: configuration error: " + e.getMessage());
            return 2;
        }
        try {
            kafka.awaitBrokers();
        } catch (KafkaStartupCheck.KafkaUnreachableException e) {
            err.println("veeam-session-events replay: " + e.getMessage());
            return 3;
        }
        Replay replay = new Replay(config, em, o, clock);
        Main main = new Main();
        main.setOverrideProperties(camelProperties(config, settings));
        try {
            main.start();
            CamelContext camel = main.getCamelContext();
            if (camel == null || !camel.isStarted()) {
                throw new IllegalStateException("Camel did not start; see the log above");
            }
            replay.run(camel);
            out.println(replay.summary());
            return 0;
        } catch (Exception e) {
            err.println("veeam-session-events replay: stopped: " + OneLine.message(e));
            err.println("veeam-session-events replay: before that: " + replay.summary());
            return 1;
        } finally {
            main.stop();
        }
    }

    static void help(PrintStream out) {
        out.println(USAGE);
        out.println("  Re-publishes, for every session created or ended in [from, to), the records detection makes at");
        out.println("  first sight: CHANGED (previousState null) and, for ended sessions, COMPLETED or FAILED, with the");
        out.println("  same ce_ids (terminal ids equal the originals). Does not read or write the state store.");
        out.println("  EM, Kafka and topics are configured as for the pipeline (EM_*, KAFKA_*, TOPIC_*, APP_CONFIG_FILE).");
        out.println("  --em ID       the EM (EM_ID, or em.N.id of an additional EM)");
        out.println("  --from T      start, inclusive: ISO-8601 (2026-03-01T00:00:00Z, 2026-03-01) or a duration");
        out.println("                meaning now minus it (24h, 90m, 7d)");
        out.println("  --to T        end, exclusive; same forms (default: now)");
        out.println("  --topics L    which of changes,completed,failed to publish (default: all three)");
        out.println("  exit 0; 1 when EM or Kafka failed midway; 2 for a usage or configuration error; 3 Kafka unreachable");
    }

    static Options parse(String[] args, Instant now) {
        String emId = null;
        Instant from = null;
        Instant to = null;
        Set<EventType> types = EnumSet.allOf(EventType.class);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--em" -> emId = StateCommand.value(args, ++i, "--em");
                case "--from" -> from = time(StateCommand.value(args, ++i, "--from"), now, "--from");
                case "--to" -> to = time(StateCommand.value(args, ++i, "--to"), now, "--to");
                case "--topics" -> types = topics(StateCommand.value(args, ++i, "--topics"));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        if (emId == null) {
            throw new IllegalArgumentException("--em is required");
        }
        if (from == null) {
            throw new IllegalArgumentException("--from is required");
        }
        to = to == null ? now : to;
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        return new Options(emId, from, to, types);
    }

    /** An ISO-8601 instant, offset date-time or date (UTC midnight), or a positive duration before {@code now}. */
    static Instant time(String text, Instant now, String option) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            // next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notDate) {
            // next form
        }
        Duration ago;
        try {
            ago = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + text
                    + "' is neither an ISO-8601 time (2026-03-01T06:00:00Z) nor a duration (24h)");
        }
        if (ago.isNegative()) {
            throw new IllegalArgumentException(option + " '" + text + "': a duration means 'now minus', give it positive");
        }
        return now.minus(ago);
    }

    static Set<EventType> topics(String csv) {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String t : csv.split(",")) {
            String name = t.trim().toLowerCase(java.util.Locale.ROOT);
            EventType type = TOPIC_NAMES.get(name);
            if (type == null) {
                throw new IllegalArgumentException("--topics: '" + t.trim() + "' is not changes, completed or failed");
            }
            types.add(type);
        }
        return types;
    }

    /**
     * The pipeline's Camel properties (so the Kafka producer is configured exactly as the pipeline's: acks=all,
     * idempotence, timeouts, and whatever else {@code camel.component.kafka.*} sets), without its routes and without
     * the management server (its port belongs to the pipeline running beside).
     */
    static Properties camelProperties(AppConfig config, Settings settings) {
        Properties p = PipelineApp.camelProperties(config, settings);
        p.setProperty("camel.main.name", "veeam-session-events-replay");
        // no routes at all: not collected, so the jar is not scanned for them either (a wildcard pattern took ~4 s)
        p.setProperty("camel.main.routes-collector-enabled", "false");
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.management.health-check-enabled", "false");
        p.setProperty("camel.management.metrics-enabled", "false");
        p.setProperty("camel.metrics.enabled", "false");
        return p;
    }

    /** The EM filter of the window: created in it, or ended in it, and the EM's job include/exclude lists. */
    static String filter(EmSource em, Instant from, Instant to) {
        // EM documents filter dates in whole seconds: widen to whole seconds here, the exact bounds apply afterwards
        Instant f = from.truncatedTo(ChronoUnit.SECONDS);
        Instant t = to.truncatedTo(ChronoUnit.SECONDS).equals(to) ? to : to.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        List<String> terms = new ArrayList<>();
        terms.add(or(and(ge("CreationTime", f), lt("CreationTime", t)), and(ge("EndTime", f), lt("EndTime", t))));
        terms.addAll(em.jobFilterTerms());
        return terms.size() == 1 ? terms.get(0) : and(terms.toArray(String[]::new));
    }

    static boolean inWindow(Instant t, Instant from, Instant to) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    /** One run: reads page by page, publishes each page's records before the next page is asked for. */
    private static final class Replay {
        private final AppConfig config;
        private final EmSource em;
        private final Options o;
        private final Clock clock;
        private final ChangeDetector detector = new ChangeDetector(false);
        private final CloudEventMapper mapper = new CloudEventMapper();
        private final Set<String> seen = new HashSet<>();
        private final Map<EventType, Integer> published = new EnumMap<>(EventType.class);
        private int sessions;
        private int unreadable;
        private int tooLarge;

        Replay(AppConfig config, EmSource em, Options o, Clock clock) {
            this.config = config;
            this.em = em;
            this.o = o;
            this.clock = clock;
            o.types().forEach(t -> published.put(t, 0));
        }

        void run(CamelContext camel) {
            EmRetry retry = new EmRetry(config.pollRetries(), Duration.ofSeconds(1));
            String uri = "kafka:" + config.topics().of(o.types().iterator().next())
                    + "?keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                    + "&valueSerializer=io.cloudevents.kafka.CloudEventSerializer"
                    + "&additionalProperties.cloudevents.serializer.encoding=BINARY";
            try (EmClient client = new EmClient(camel, em.server(), clock);
                 ProducerTemplate kafka = camel.createProducerTemplate()) {
                String filter = filter(em, o.from(), o.to());
                for (String type : em.sessionTypes()) {
                    SessionQuery q = SessionQuery.of(SessionQuery.Type.valueOf(type)).withFilter(filter)
                            .withSortAsc("CreationTime").withPageSize(em.server().pageSize());
                    for (int page = 1, pages = 1; page <= pages; page++) {
                        int n = page;
                        QueryPage p = retry.call(em.id(), "replay " + type + " page " + n, () -> client.queryPage(q, n));
                        if (p.isEmpty()) {
                            break;
                        }
                        pages = p.pagesCount();
                        unreadable += p.rejected().size();
                        List<EventType> types = new ArrayList<>();
                        send(kafka, uri, records(camel, p, types), types);
                    }
                }
            } catch (Exception e) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
            }
        }

        /** The page's records, their event types appended to {@code types} in the same order. */
        private List<Message> records(CamelContext camel, QueryPage page, List<EventType> types) {
            Instant now = clock.instant();
            List<Message> records = new ArrayList<>();
            for (var s : page.sessions()) {
                if (s.getUid() == null || !(inWindow(s.getCreationTimeUtc(), o.from(), o.to())
                        || inWindow(s.getEndTimeUtc(), o.from(), o.to())) || !seen.add(s.getUid())) {
                    continue;  // outside the exact window (EM filters by whole seconds), or already on an earlier page
                }
                Detection d;
                try {
                    d = detector.detect(em.id(), em.server().baseUrl(), s, Optional.empty(), null, now);
                } catch (InvalidSessionException e) {
                    unreadable++;
                    continue;
                }
                sessions++;
                List<Message> built = new ArrayList<>();
                List<EventType> builtTypes = new ArrayList<>();
                boolean fits = true;
                for (SessionEvent e : d.events()) {
                    if (!o.types().contains(e.type())) {
                        continue;
                    }
                    CloudEvent ce = mapper.toCloudEvent(e);
                    fits &= ce.getData() == null || ce.getData().toBytes().length <= MAX_DATA_BYTES;
                    Message m = new DefaultMessage(camel);
                    m.setHeader(KafkaConstants.KEY, e.key());
                    m.setHeader(KafkaConstants.OVERRIDE_TOPIC, config.topics().of(e.type()));
                    m.setBody(ce);
                    built.add(m);
                    builtTypes.add(e.type());
                }
                if (fits) {
                    records.addAll(built);
                    types.addAll(builtTypes);
                } else {
                    tooLarge++;
                }
            }
            return records;
        }

        private void send(ProducerTemplate kafka, String uri, List<Message> records, List<EventType> types) {
            if (records.isEmpty()) {
                return;
            }
            Exchange result = kafka.send(uri, x -> x.getMessage().setBody(records));
            if (result.getException() != null) {
                throw new IllegalStateException("Kafka: " + OneLine.message(result.getException()), result.getException());
            }
            types.forEach(t -> published.merge(t, 1, Integer::sum));
        }

        String summary() {
            StringBuilder b = new StringBuilder("replay of EM ").append(em.id()).append(" [").append(o.from())
                    .append(", ").append(o.to()).append("): ").append(sessions).append(" sessions read");
            if (unreadable > 0 || tooLarge > 0) {
                b.append(" (skipped: ").append(unreadable).append(" unreadable, ").append(tooLarge).append(" too large)");
            }
            b.append("; records published:");
            for (Map.Entry<EventType, Integer> e : published.entrySet()) {
                b.append(' ').append(config.topics().of(e.getKey())).append('=').append(e.getValue());
            }
            return b.toString();
        }
    }
}
