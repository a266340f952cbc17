package dev.vse.faults;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away internal CA and an EM server certificate it signed (for {@code localhost} and {@code 127.0.0.1}),
 * as a company PKI or Veeam's installer would issue; nothing in the JVM's default trust knows this CA.
 */
final class TestCa {
    static final char[] KEY_PASSWORD = "key-pw".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X509Certificate caCert;
    private final X509Certificate serverCert;
    private final KeyPair serverKeys;

    private TestCa(X509Certificate caCert, X509Certificate serverCert, KeyPair serverKeys) {
        this.caCert = caCert;
        this.serverCert = serverCert;
        this.serverKeys = serverKeys;
    }

    static TestCa create() {
        try {
            KeyPair ca = rsa();
            X500Name caName = new X500Name("CN=VSE Test Root CA");
            X509Certificate caCert = sign(caName, ca.getPrivate(), caName, ca.getPublic(), true, null);
            KeyPair server = rsa();
            GeneralNames san = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
            X509Certificate serverCert = sign(caName, ca.getPrivate(), new X500Name("CN=localhost"), server.getPublic(),
                    false, san);
            return new TestCa(caCert, serverCert, server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the test CA", e);
        }
    }

    /** For {@code SimulatorOptions.withTls(ks, KEY_PASSWORD)}: the server key with its chain. */
    KeyStore serverKeyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("em", serverKeys.getPrivate(), KEY_PASSWORD, new Certificate[] {serverCert, caCert});
        return ks;
    }

    Path writeCaPem(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(caCert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    Path writeTruststore(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("em-ca", caCert);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048);
        return kpg.generateKeyPair();
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey issuerKey, X500Name subject, PublicKey key,
                                        boolean ca, GeneralNames san) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }
}
