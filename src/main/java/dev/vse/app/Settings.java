package dev.vse.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw key/value configuration with a fixed precedence: explicit overrides (tests, demo) &gt; environment
 * variables ({@code em.url} is read from {@code EM_URL}) &gt; an optional {@code config} file &gt; the
 * {@code application.properties} bundled in the jar.
 */
public final class Settings {
    private final Properties defaults;
    private final Map<String, String> env;
    private final Map<String, String> overrides;

    public Settings(Properties defaults, Map<String, String> env, Map<String, String> overrides) {
        this.defaults = defaults;
        this.env = env;
        this.overrides = new HashMap<>(overrides);
    }

    /** Bundled defaults, then {@code APP_CONFIG_FILE} / {@code app.config-file} if set, then env, then overrides. */
    public static Settings load(Map<String, String> env, Map<String, String> overrides) {
        Properties p = bundled();
        String file = overrides.getOrDefault("app.config-file", env.get("APP_CONFIG_FILE"));
        if (file != null && !file.isBlank()) {
            try (Reader r = Files.newBufferedReader(Path.of(file))) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + " (APP_CONFIG_FILE): " + e.getMessage());
            }
        }
        return new Settings(p, env, overrides);
    }

    /**
     * The {@code application.properties} bundled in the jar: the one place where every default lives (the Java code
     * has no fallbacks of its own). A copy; missing or unreadable is a {@link ConfigException}.
     */
    public static Properties bundled() {
        Properties p = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new ConfigException("the bundled application.properties is missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read the bundled application.properties: " + e.getMessage());
        }
        return p;
    }

    /** Environment variable name for a key: upper case, '.' and '-' as '_'. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The value of {@code key}, or null when unset or blank everywhere. A key ending in {@code password} that is
     * unset is read from the file named by {@code <key>-file} ({@code EM_PASSWORD_FILE} for {@code em.password}:
     * Docker and Kubernetes secrets), trailing line breaks dropped; an unreadable or empty file is a
     * {@link ConfigException} naming that variable (never the content).
     */
    public String get(String key) {
        String v = raw(key);
        if (v == null && key.endsWith("password")) {
            String fileKey = key + "-file";
            String file = raw(fileKey);
            if (file != null) {
                v = readSecret(fileKey, file);
            }
        }
        return v;
    }

    private static String readSecret(String fileKey, String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(envName(fileKey) + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        if (end == 0) {
            throw new ConfigException(envName(fileKey) + " " + file + " is empty");
        }
        return text.substring(0, end);
    }

    private String raw(String key) {
        String v = overrides.get(key);
        if (v == null) {
            v = env.get(envName(key));
        }
        if (v == null) {
            v = defaults.getProperty(key);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    /** Whether any source defines {@code key} with a non-blank value. */
    public boolean has(String key) {
        return get(key) != null;
    }

    /** Every key that Camel itself reads ({@code camel.*}), resolved with the same precedence. */
    public Properties camelProperties() {
        Properties out = new Properties();
        defaults.stringPropertyNames().stream().filter(k -> k.startsWith("camel.")).forEach(k -> out.setProperty(k, get(k, "")));
        overrides.keySet().stream().filter(k -> k.startsWith("camel.")).forEach(k -> out.setProperty(k, get(k, "")));
        return out;
    }
}
