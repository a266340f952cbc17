package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vse.model.MalformedXmlException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.camel.CamelExchangeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @ParameterizedTest
    @ValueSource(ints = {500, 501, 502, 503, 504, 599, 408, 429})
    void givenServerErrorOrThrottling_whenClassified_thenRetriable(int status) {
        assertThat(FailureClassifier.classifyStatus(status)).isEqualTo(FailureKind.RETRIABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 405, 409, 410, 415, 302, 304})
    void givenClientErrorOrUnexpectedStatus_whenClassified_thenPermanent(int status) {
        assertThat(FailureClassifier.classifyStatus(status)).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void given401AfterReLogon_whenClassified_thenAuthentication() {
        assertThat(FailureClassifier.classifyStatus(401)).isEqualTo(FailureKind.AUTHENTICATION);
    }

    @Test
    void givenTimeouts_whenClassified_thenRetriable() {
        assertThat(FailureClassifier.classify(new SocketTimeoutException("Read timed out"))).isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new ConnectTimeoutException("Connect to em01:9398 timed out")))
                .isEqualTo(FailureKind.RETRIABLE);
    }

    @Test
    void givenBrokenConnections_whenClassified_thenRetriable() {
        assertThat(FailureClassifier.classify(new SocketException("Connection reset"))).isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new ConnectException("Connection refused"))).isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new HttpHostConnectException("Connect to em01 failed: Connection refused")))
                .isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new NoHttpResponseException("em01:9398 failed to respond")))
                .isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new ConnectionClosedException("Premature end of Content-Length")))
                .isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new EOFException("Unexpected end of stream"))).isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new UnknownHostException("em01"))).isEqualTo(FailureKind.RETRIABLE);
    }

    @Test
    void givenHandshakeCutByReset_whenClassified_thenRetriable() {
        SSLException reset = new SSLHandshakeException("Remote host terminated the handshake");
        reset.initCause(new SocketException("Connection reset"));

        assertThat(FailureClassifier.classify(reset)).isEqualTo(FailureKind.RETRIABLE);
        assertThat(FailureClassifier.classify(new SSLException("Connection reset"))).isEqualTo(FailureKind.RETRIABLE);
    }

    @Test
    void givenUntrustedCertificate_whenClassified_thenPermanentWithCaHint() {
        SSLHandshakeException untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertificateException("PKIX path building failed",
                new CertPathBuilderException("unable to find valid certification path to requested target")));
        SSLHandshakeException expired = new SSLHandshakeException("validation failed");
        expired.initCause(new CertPathValidatorException("validity check failed"));

        assertThat(FailureClassifier.classify(untrusted)).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureClassifier.classify(expired)).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureClassifier.describe(new CamelExchangeException("wrapped", null, untrusted)))
                .contains("configure the CA", "unable to find valid certification path");
    }

    @Test
    void givenHostnameMismatch_whenClassified_thenPermanent() {
        assertThat(FailureClassifier.classify(new SSLPeerUnverifiedException("Certificate for <em01> doesn't match")))
                .isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void givenUnparseableBody_whenClassified_thenMalformed() {
        assertThat(FailureClassifier.classify(new MalformedXmlException("malformed XML: unexpected EOF", null)))
                .isEqualTo(FailureKind.MALFORMED);
    }

    @Test
    void givenWrappedIoFailure_whenClassified_thenCauseChainDecides() {
        Exception wrapped = new CamelExchangeException("boom", null, new IOException("x", new SocketTimeoutException()));

        assertThat(FailureClassifier.classify(wrapped)).isEqualTo(FailureKind.RETRIABLE);
    }

    @Test
    void givenProgrammingError_whenClassified_thenPermanent() {
        assertThat(FailureClassifier.classify(new IllegalArgumentException("Illegal character in query")))
                .isEqualTo(FailureKind.PERMANENT);
    }
}
