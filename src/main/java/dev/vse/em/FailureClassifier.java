package dev.vse.em;

import dev.vse.model.MalformedXmlException;
import dev.vse.util.OneLine;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The one place that decides what an EM failure means (see {@link FailureKind}). Pure functions, no state.
 *
 * <p>A 401 is only passed here after the client has already logged on again once; EM answers 401
 * for expired tokens too, so a first 401 is handled by re-logon, not classified.
 */
public final class FailureClassifier {
    /** Appended to certificate failures: they never heal by retrying. */
    public static final String CA_HINT = "the EM certificate is not trusted: configure the CA of this EM "
            + "(em.ca-pem / EM_CA_PEM or em.truststore / EM_TRUSTSTORE), or em.insecure-trust-all=true for a lab EM";

    /** Appended to host name mismatches: the URL must use a name the certificate carries. */
    public static final String HOSTNAME_HINT = "the EM certificate does not match the host name of the configured URL: "
            + "use a host name listed in the certificate";

    private FailureClassifier() { }

    /** Classifies a non-2xx HTTP status. */
    public static FailureKind classifyStatus(int status) {
        if (status >= 500 || status == 408 || status == 429) {
            return FailureKind.RETRIABLE;
        }
        if (status == 401) {
            return FailureKind.AUTHENTICATION;
        }
        return FailureKind.PERMANENT;
    }

    /** Classifies a transport-level failure (anything that prevented a complete HTTP response). */
    public static FailureKind classify(Throwable failure) {
        if (findCause(failure, MalformedXmlException.class) != null) {
            return FailureKind.MALFORMED;
        }
        if (isCertificateFailure(failure)) {
            return FailureKind.PERMANENT;
        }
        if (findCause(failure, SocketTimeoutException.class) != null
                || findCause(failure, InterruptedIOException.class) != null // HttpClient connect/lease timeouts
                || findCause(failure, SocketException.class) != null         // reset, refused, broken pipe
                || findCause(failure, EOFException.class) != null            // premature end of stream
                || findCause(failure, UnknownHostException.class) != null    // DNS hiccups are usually transient
                || findCause(failure, SSLException.class) != null            // handshake cut by a reset
                || findCause(failure, IOException.class) != null) {          // NoHttpResponse, ConnectionClosed, ...
            return FailureKind.RETRIABLE;
        }
        return FailureKind.PERMANENT;
    }

    /** True for TLS failures caused by an untrusted or mismatching certificate. */
    public static boolean isCertificateFailure(Throwable failure) {
        if (findCause(failure, SSLPeerUnverifiedException.class) != null) {
            return true;
        }
        return findCause(failure, SSLHandshakeException.class) != null
                && (findCause(failure, CertPathValidatorException.class) != null
                || findCause(failure, CertPathBuilderException.class) != null
                || findCause(failure, CertificateException.class) != null);
    }

    /** A short, single-line description of a transport failure, with the CA hint for certificate problems. */
    public static String describe(Throwable failure) {
        if (findCause(failure, SSLPeerUnverifiedException.class) != null) {
            return HOSTNAME_HINT + " (" + oneLine(findCause(failure, SSLPeerUnverifiedException.class)) + ")";
        }
        if (isCertificateFailure(failure)) {
            return CA_HINT + " (" + oneLine(rootCause(failure)) + ")";
        }
        return oneLine(failure);
    }

    static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return null;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t.getCause() != null && t.getCause() != t && depth < 20; depth++) {
            t = t.getCause();
        }
        return t;
    }

    /** e.g. {@code SocketTimeoutException: Read timed out}: the class says what kind of failure it was. */
    private static String oneLine(Throwable t) {
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + OneLine.of(t.getMessage()));
    }
}
