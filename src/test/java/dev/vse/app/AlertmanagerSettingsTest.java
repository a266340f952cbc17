package dev.vse.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerSettingsTest {
    private static Settings settings(Map<String, String> env) {
        return Settings.load(env, Map.of());
    }

    @Test
    void givenNoUrl_thenOff() {
        assertThat(AlertmanagerSettings.from(settings(Map.of()))).isEmpty();
    }

    @Test
    void givenUrl_thenOnWithTheBundledDefaults() {
        AlertmanagerSettings am = AlertmanagerSettings.from(settings(Map.of("ALERTMANAGER_URL", "http://am:9093/"))).orElseThrow();

        assertThat(am.alertsUrl()).hasToString("http://am:9093/api/v2/alerts");
        assertThat(am.topic()).isEqualTo("veeam.em.job.alerts");
        assertThat(am.groupId()).isEqualTo("veeam-session-events-alertmanager");
        assertThat(am.resendInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(am.activeFor()).isEqualTo(Duration.ofMinutes(4));
        assertThat(am.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(am.severity()).isEqualTo("critical");
    }

    @Test
    void givenUrlWithPathPrefixOrTheApiPath_thenTheApiPathOnce() {
        assertThat(AlertmanagerSettings.alertsUrl("https://ops.example.com/alertmanager")).hasToString("https://ops.example.com/alertmanager/api/v2/alerts");
        assertThat(AlertmanagerSettings.alertsUrl("http://am:9093/api/v2/alerts")).hasToString("http://am:9093/api/v2/alerts");
    }

    @Test
    void givenBadValues_thenConfigErrorsNamingTheVariable() {
        assertThatThrownBy(() -> AlertmanagerSettings.from(settings(Map.of("ALERTMANAGER_URL", "am:9093"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ALERTMANAGER_URL 'am:9093' is not an http(s) URL");
        assertThatThrownBy(() -> AlertmanagerSettings.from(settings(Map.of("ALERTMANAGER_URL", "http://u:p@am:9093"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ALERTMANAGER_URL");
        assertThatThrownBy(() -> AlertmanagerSettings.from(settings(Map.of("ALERTMANAGER_URL", "http://am:9093",
                "ALERTMANAGER_RESEND_INTERVAL", "500ms"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ALERTMANAGER_RESEND_INTERVAL must be at least 1s");
        assertThatThrownBy(() -> AlertmanagerSettings.from(settings(Map.of("ALERTMANAGER_URL", "http://am:9093",
                "ALERTMANAGER_TIMEOUT", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("ALERTMANAGER_TIMEOUT:");
    }
}
