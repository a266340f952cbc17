package dev.vse.em;

import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import dev.vse.model.MalformedXmlException;
import dev.vse.util.OneLine;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.hc.core5.io.CloseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to one EM: a camel-http component registered as {@code em-http-<id>}, configured for this EM only
 * (its TLS, its timeouts, no automatic retries, no redirects, cookie management disabled), and the mapping
 * of outcomes to {@link EmResponse} or {@link EmRequestException}. Knows nothing about logon or the API.
 *
 * <p>Cookies: EM hands out the token both as {@code X-RestSvcSessionId} header and as cookie, and a cookie
 * beats the header (helpcenter.veeam.com em_rest {@code http_authentication.html}); a stored, expired cookie
 * would therefore keep every request failing after a re-logon.
 */
final class EmHttp implements AutoCloseable {
    /** EM's session token header. */
    static final String TOKEN_HEADER = "X-RestSvcSessionId";
    private static final Logger LOG = LoggerFactory.getLogger(EmHttp.class);

    private final CamelContext camel;
    private final EmServerConfig config;
    private final String componentName;
    private final Endpoint endpoint;
    private final ProducerTemplate producer;
    private final Consumer<Outcome> observer;
    private final EmRequestListener listener;
    private volatile boolean closed;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean aborted;

    /**
     * One HTTP exchange's outcome, whatever its status.
     *
     * @param request method and URL, never credentials or token
     * @param status  HTTP status
     * @param body    raw body, empty when EM sent none
     * @param token   the response's {@code X-RestSvcSessionId} header, or null
     * @param date    the response's {@code Date} header, or null when absent or unparseable
     */
    record Outcome(String request, int status, byte[] body, String contentType, String token, Instant date) {
        @Override
        public String toString() {
            return "Outcome[" + request + " -> " + status + ", " + body.length + " bytes]"; // no token
        }
    }

    /**
     * Registers the component in {@code camel}; {@code observer} sees every response that arrived.
     *
     * @throws IllegalArgumentException when the TLS material of {@code config} cannot be read
     */
    EmHttp(CamelContext camel, EmServerConfig config, Consumer<Outcome> observer) {
        this(camel, config, observer, EmRequestListener.NONE);
    }

    /** As above; {@code listener} is told how each request ended and how long it took. */
    EmHttp(CamelContext camel, EmServerConfig config, Consumer<Outcome> observer, EmRequestListener listener) {
        this.camel = camel;
        this.config = config;
        this.observer = observer;
        this.listener = listener;
        this.componentName = "em-http-" + config.id().replaceAll("[^A-Za-z0-9-]", "-").toLowerCase();
        EmTls tls = EmTls.from(config);
        camel.addComponent(componentName, component(config, tls));
        String address = config.baseUrl().replaceFirst("^https?://", "");
        this.endpoint = camel.getEndpoint(componentName + "://" + address + "?throwExceptionOnFailure=false");
        this.producer = camel.createProducerTemplate();
        LOG.info("EM {}: client for {} ({}; connect timeout {}, read timeout {})", config.id(), config.baseUrl(),
                tls.description(), config.connectTimeout(), config.readTimeout());
    }

    private static HttpComponent component(EmServerConfig config, EmTls tls) {
        HttpComponent c = new HttpComponent();
        c.setCookieManagementDisabled(true); // EM quirk: a stale token cookie would beat the fresh header
        c.setAutomaticRetriesDisabled(true); // retry policy belongs to the caller, per failure kind
        c.setRedirectHandlingDisabled(true);
        c.setFollowRedirects(false);
        c.setCopyHeaders(false);             // response message = response headers only
        c.setUseGlobalSslContextParameters(false);
        c.setSslContextParameters(tls.sslContextParameters());
        c.setX509HostnameVerifier(tls.hostnameVerifier());
        long connect = config.connectTimeout().toMillis();
        long read = config.readTimeout().toMillis();
        c.setConnectTimeout(connect);
        c.setConnectionRequestTimeout(connect);
        c.setSoTimeout(read);
        c.setResponseTimeout(read);
        c.setMaxTotalConnections(8);
        c.setConnectionsPerRoute(4);
        return c;
    }

    EmServerConfig config() { return config; }

    String componentName() { return componentName; }

    /**
     * Sends one request. Any HTTP status is an outcome; only transport failures (no complete response) throw.
     *
     * @throws EmRequestException classified by {@link FailureClassifier#classify(Throwable)}
     * @throws IllegalStateException after {@link #close()}
     */
    Outcome execute(String method, String url, Map<String, String> headers) {
        if (closed) {
            throw new IllegalStateException("EM " + config.id() + ": client is closed");
        }
        String request = EmUrls.describe(method, url);
        long started = System.nanoTime();
        Exchange exchange;
        inFlight.incrementAndGet();
        try {
            exchange = producer.send(endpoint, ex -> {
                Message in = ex.getIn();
                in.setHeader(Exchange.HTTP_METHOD, method);
                in.setHeader(Exchange.HTTP_URI, url);
                in.setHeader("Accept", "application/xml");
                headers.forEach(in::setHeader);
                // POST with an explicit empty entity sends Content-Length: 0 (IIS/WCF may insist on it)
                in.setBody("POST".equals(method) ? new byte[0] : null);
            });
        } finally {
            inFlight.decrementAndGet();
        }
        Exception error = exchange.getException();
        Integer code = error != null ? null : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        listener.request(config.id(), EmRequestListener.outcomeOf(code == null ? -1 : code), System.nanoTime() - started);
        if (error != null) {
            EmRequestException failure = new EmRequestException(FailureClassifier.classify(error), config.id(), request,
                    -1, null, FailureClassifier.describe(error), error);
            LOG.debug(failure.getMessage()); // the caller reports it, once
            throw failure;
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] body = out.getBody(byte[].class);
        Outcome outcome = new Outcome(request, status == null ? -1 : status, body == null ? new byte[0] : body,
                out.getHeader(Exchange.CONTENT_TYPE, String.class), out.getHeader(TOKEN_HEADER, String.class),
                httpDate(out.getHeader("Date", String.class)));
        observer.accept(outcome);
        return outcome;
    }

    /** The 2xx outcome as {@link EmResponse}; any other status as the failure its status means. */
    EmResponse requireSuccess(Outcome raw) {
        if (raw.status() / 100 != 2) {
            throw failure(FailureClassifier.classifyStatus(raw.status()), raw, null);
        }
        return new EmResponse(config.id(), raw.request(), raw.status(), raw.body(), raw.contentType(), raw.date());
    }

    /** A failure of {@code kind}; {@code detail} (may be null) is followed by the message of EM's {@code <Error>} body. */
    EmRequestException failure(FailureKind kind, Outcome raw, String detail) {
        String emMessage = errorMessage(raw.body());
        String text = detail == null ? "" : detail;
        if (emMessage != null) {
            text = text.isEmpty() ? "EM says \"" + emMessage + "\"" : text + "; EM says \"" + emMessage + "\"";
        }
        EmRequestException e = new EmRequestException(kind, config.id(), raw.request(), raw.status(),
                raw.body(), text.isEmpty() ? null : text, null);
        LOG.debug(e.getMessage());
        return e;
    }

    /**
     * The body as {@code type} ({@code Object.class}: whatever root element it has).
     *
     * @throws EmRequestException {@link FailureKind#MALFORMED}, carrying the raw body
     */
    <T> T parse(EmResponse response, Class<T> type) {
        return read(response, body -> type == Object.class ? type.cast(EmXml.unmarshal(body)) : EmXml.unmarshal(body, type));
    }

    /**
     * The body through {@code reader} (an {@link EmXml} method).
     *
     * @throws EmRequestException {@link FailureKind#MALFORMED}, carrying the raw body
     */
    <T> T read(EmResponse response, java.util.function.Function<byte[], T> reader) {
        try {
            return reader.apply(response.body());
        } catch (MalformedXmlException e) {
            EmRequestException failure = new EmRequestException(FailureKind.MALFORMED, config.id(), response.request(),
                    response.status(), response.body(), e.getMessage(), e);
            LOG.debug(failure.getMessage());
            throw failure;
        }
    }

    /** Requests sent and not yet answered (a page fetched ahead included). */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Closes every connection of this EM at once, those of requests still waiting for an answer included: each of
     * them fails now (as a transport failure) instead of at the read timeout. Only for stopping.
     */
    void abort() {
        aborted = true;
        // the endpoint's own manager: the one its client leases from (the component's may be another, or none)
        if (endpoint instanceof HttpEndpoint http && http.getClientConnectionManager() != null) {
            http.getClientConnectionManager().close(CloseMode.IMMEDIATE);
        }
    }

    boolean aborted() {
        return aborted;
    }

    /** Unregisters the component; later requests throw {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.close();
        } catch (Exception e) {
            LOG.debug("EM {}: closing producer template: {}", config.id(), e.toString());
        }
        try {
            camel.removeEndpoints(componentName + ":*");
        } catch (Exception e) {
            LOG.debug("EM {}: removing endpoints: {}", config.id(), e.toString());
        }
        camel.removeComponent(componentName);
    }

    /** The {@code Date} header (RFC 1123, e.g. {@code Tue, 15 Nov 1994 08:12:31 GMT}), or null. */
    static Instant httpDate(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(header.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The message of EM's {@code <Error>} body, on one line; null when the body is not one. */
    private static String errorMessage(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            String m = EmXml.unmarshal(body, EmError.class).getMessage();
            return m == null ? null : OneLine.of(m);
        } catch (MalformedXmlException e) {
            return null;
        }
    }
}
