package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vse.em.support.FakeEm;
import dev.vse.em.support.LogCapture;
import dev.vse.em.support.SelfSignedCert;
import dev.vse.model.EmError;
import dev.vse.model.EmXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against an HTTPS EM with a self-signed certificate, as EM on Linux generates at install. */
class EmTlsTest {
    private static final String PASSWORD = "Tls-Pw-5521-secret";
    private static SelfSignedCert cert;

    @TempDir
    Path dir;
    private CamelContext camel;
    private FakeEm em;

    @BeforeAll
    static void certificate() {
        cert = SelfSignedCert.forHost("localhost");
        EmXml.unmarshal(EmXml.marshal(new EmError(500, "x", "warm-up")), EmError.class); // cold JAXB is slow
    }

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.start();
        em = FakeEm.https(PASSWORD, cert.serverContext());
    }

    @AfterEach
    void stop() {
        em.close();
        camel.stop();
    }

    @AfterAll
    static void forget() {
        cert = null;
    }

    private EmClient client(UnaryOperator<EmServerConfig.Builder> tls) {
        return new EmClient(camel, tls.apply(EmServerConfig.builder("em-tls", em.baseUrl())
                .credentials(FakeEm.USER, PASSWORD).connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(10))).build());
    }

    @Test
    void givenNoTrustConfigured_whenConnecting_thenPermanentWithConfigureTheCaHint() {
        try (EmClient client = client(b -> b)) {
            EmRequestException e = catchThrowableOfType(EmRequestException.class, client::logon);

            assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(e.getMessage()).contains("em-tls", "POST https://localhost:", "configure the CA");
        }
    }

    @Test
    void givenPkcs12TruststoreWithTheCertificate_whenConnecting_thenAccepted() throws Exception {
        Path ts = cert.writeTruststore(dir.resolve("em.p12"), "changeit", "PKCS12");
        try (EmClient client = client(b -> b.truststore(ts, "changeit", null))) {
            client.logon();

            assertThat(client.apiRoot().getSupportedVersions()).isNotEmpty();
        }
    }

    @Test
    void givenJksTruststore_whenConnecting_thenAccepted() throws Exception {
        Path ts = cert.writeTruststore(dir.resolve("em.jks"), "changeit", "JKS");
        try (EmClient client = client(b -> b.truststore(ts, "changeit", "JKS"))) {
            client.logon();
        }
        assertThat(em.logons()).isEqualTo(1);
    }

    @Test
    void givenPemCaFile_whenConnecting_thenAccepted() throws Exception {
        Path pem = cert.writePem(dir.resolve("em-ca.pem"));
        try (EmClient client = client(b -> b.caPem(pem))) {
            client.logon();
        }
        assertThat(em.logons()).isEqualTo(1);
        assertThat(em.deletedSessionIds()).hasSize(1);
    }

    @Test
    void givenTrustAll_whenConnecting_thenAcceptedAndOneWarningNamesTheEm() {
        try (LogCapture logs = LogCapture.of(EmTls.class.getName());
             EmClient client = client(b -> b.insecureTrustAll(true))) {
            client.logon();

            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).singleElement()
                    .asString().contains("em-tls", "em.insecure-trust-all", "NOT verified");
        }
    }

    @Test
    void givenCertificateForAnotherHost_whenConnecting_thenHostnameVerificationRefusesPermanently() throws Exception {
        SelfSignedCert other = SelfSignedCert.forHost("em99.example.net");
        try (FakeEm wrongHost = FakeEm.https(PASSWORD, other.serverContext())) {
            Path pem = other.writePem(dir.resolve("other.pem"));
            try (EmClient client = new EmClient(camel, EmServerConfig.builder("em-mismatch", wrongHost.baseUrl())
                    .credentials(FakeEm.USER, PASSWORD).caPem(pem).build())) {
                EmRequestException e = catchThrowableOfType(EmRequestException.class, client::logon);

            assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
                assertThat(e.getMessage()).contains("em-mismatch", "does not match the host name")
                        .doesNotContain("configure the CA");
            }
        }
    }

    @Test
    void givenMissingOrUnreadableTrustFiles_whenClientCreated_thenIllegalArgumentNamingFileAndEm() throws Exception {
        Path missing = dir.resolve("nope.p12");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        Path ts = cert.writeTruststore(dir.resolve("em2.p12"), "changeit", "PKCS12");

        assertThatIllegalArgumentException().isThrownBy(() -> client(b -> b.truststore(missing, "x", null)))
                .withMessageContaining("em-tls").withMessageContaining(missing.toString());
        assertThatIllegalArgumentException().isThrownBy(() -> client(b -> b.caPem(garbage)))
                .withMessageContaining("em-tls").withMessageContaining(garbage.toString());
        assertThatIllegalArgumentException().isThrownBy(() -> client(b -> b.truststore(ts, "wrong-password", null)))
                .withMessageContaining("em-tls").withMessageContaining(ts.toString());
        assertThat(camel.hasComponent("em-http-em-tls")).isNull();
    }
}
