package dev.vse.testkit;

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
 * A throw-away internal CA, as a company PKI or Veeam's installer would run one (nothing in the JVM's default trust
 * knows it), and the certificates it signs for {@code localhost} / {@code 127.0.0.1}: an EM server, a Kafka broker,
 * a client for mutual TLS. Written as PKCS12 files or PEM as an operator would receive them.
 */
public final class TestCa {
    /** Key password of {@link #serverKeyStore()}. */
    public static final char[] KEY_PASSWORD = "key-pw".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X500Name caName = new X500Name("CN=VSE Test Root CA");
    private final PrivateKey caKey;
    private final X509Certificate caCert;

    private TestCa() throws Exception {
        KeyPair ca = rsa();
        caKey = ca.getPrivate();
        caCert = sign(caName, caKey, caName, ca.getPublic(), true, null);
    }

    public static TestCa create() {
        try {
            return new TestCa();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the test CA", e);
        }
    }

    /** A key and its certificate ({@code CN=cn}, SAN localhost and 127.0.0.1) with the chain, alias {@code key}. */
    public KeyStore keyStore(String cn, char[] password) throws Exception {
        KeyPair keys = rsa();
        GeneralNames san = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        X509Certificate cert = sign(caName, caKey, new X500Name("CN=" + cn), keys.getPublic(), false, san);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", keys.getPrivate(), password, new Certificate[] {cert, caCert});
        return ks;
    }

    /** For {@code SimulatorOptions.withTls(ks, KEY_PASSWORD)}: an EM server key with its chain. */
    public KeyStore serverKeyStore() throws Exception {
        return keyStore("localhost", KEY_PASSWORD);
    }

    /** {@link #keyStore} as a PKCS12 file; store and key share {@code password}. */
    public Path writeKeystore(Path file, String cn, String password) throws Exception {
        return store(keyStore(cn, password.toCharArray()), file, password);
    }

    /** A truststore holding only this CA. */
    public Path writeTruststore(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", caCert);
        return store(ks, file, password);
    }

    /** This CA's certificate as PEM. */
    public Path writeCaPem(Path file) throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(caCert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    private static Path store(KeyStore ks, Path file, String password) throws Exception {
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
