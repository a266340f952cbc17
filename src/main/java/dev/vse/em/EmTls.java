package dev.vse.em;

import dev.vse.util.OneLine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS settings for one EM, as Camel {@link SSLContextParameters} plus a hostname verifier.
 * Order: trust-all (lab only, one WARN) > PEM CA file > truststore file > JVM default trust.
 * EM installs usually carry a self-signed or internal-CA certificate (Linux EM generates one),
 * so a per-EM CA is the normal production setting.
 */
public final class EmTls {
    private static final Logger LOG = LoggerFactory.getLogger(EmTls.class);

    private final SSLContextParameters sslContextParameters;
    private final HostnameVerifier hostnameVerifier;
    private final String description;

    private EmTls(SSLContextParameters params, HostnameVerifier verifier, String description) {
        this.sslContextParameters = params;
        this.hostnameVerifier = verifier;
        this.description = description;
    }

    /**
     * Builds the TLS settings of {@code config}.
     *
     * @throws IllegalArgumentException naming the file and the EM when a truststore or PEM file cannot be read
     */
    public static EmTls from(EmServerConfig config) {
        if (config.insecureTrustAll()) {
            LOG.warn("EM {} ({}): TLS certificates and host names are NOT verified (em.insecure-trust-all=true); "
                    + "anyone in the path can read the EM password; lab EMs only", config.id(), config.baseUrl());
            return new EmTls(params(new TrustAllManager()), NoopHostnameVerifier.INSTANCE, "trust-all");
        }
        if (config.caPemPath() != null) {
            KeyStore ks = loadPem(config.id(), config.caPemPath());
            return new EmTls(params(trustManager(config.id(), config.caPemPath(), ks)), new DefaultHostnameVerifier(),
                    "PEM CA " + config.caPemPath());
        }
        if (config.truststorePath() != null) {
            KeyStore ks = loadTruststore(config);
            return new EmTls(params(trustManager(config.id(), config.truststorePath(), ks)),
                    new DefaultHostnameVerifier(), "truststore " + config.truststorePath());
        }
        return new EmTls(null, new DefaultHostnameVerifier(), "JVM default trust");
    }

    /** Parameters for the camel-http component, or null for the JVM default trust. */
    public SSLContextParameters sslContextParameters() { return sslContextParameters; }

    public HostnameVerifier hostnameVerifier() { return hostnameVerifier; }

    /** For the startup log line, e.g. {@code truststore /etc/vse/em01.p12}. */
    public String description() { return description; }

    private static SSLContextParameters params(TrustManager trustManager) {
        TrustManagersParameters tmp = new TrustManagersParameters();
        tmp.setTrustManager(trustManager);
        SSLContextParameters p = new SSLContextParameters();
        p.setTrustManagers(tmp);
        return p;
    }

    static KeyStore loadPem(String emId, Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("EM " + emId + ": no certificate in PEM CA file " + pem);
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("EM " + emId + ": cannot read PEM CA file " + pem + ": " + reason(e), e);
        }
    }

    static KeyStore loadTruststore(EmServerConfig config) {
        Path path = config.truststorePath();
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore ks = KeyStore.getInstance(config.truststoreType());
            char[] pw = config.truststorePassword() == null ? null : config.truststorePassword().toCharArray();
            ks.load(in, pw);
            if (ks.size() == 0) {
                throw new IllegalArgumentException("EM " + config.id() + ": truststore " + path + " holds no certificate");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("EM " + config.id() + ": cannot read " + config.truststoreType()
                    + " truststore " + path + ": " + reason(e)
                    + " (not a " + config.truststoreType() + " file, or a wrong truststore password?)", e);
        }
    }

    private static X509TrustManager trustManager(String emId, Path source, KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalArgumentException("EM " + emId + ": no X.509 trust manager for " + source);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("EM " + emId + ": cannot use trust material " + source + ": " + reason(e), e);
        }
    }

    /** One line, also for the JDK's message-less keystore exceptions (their cause has the message). */
    private static String reason(Exception e) {
        return OneLine.message(e);
    }

    /** Accepts any server certificate; only behind {@code insecureTrustAll=true}. */
    private static final class TrustAllManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // deliberately trusts everything: explicit lab-only opt-in
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
