package dev.vse.em;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmUrlsTest {
    private static final String BASE = "https://em01:9398/api";

    @Test
    void givenRelativePath_whenResolved_thenBelowBase() {
        assertThat(EmUrls.resolve(BASE, "query")).isEqualTo(BASE + "/query");
        assertThat(EmUrls.resolve(BASE, "/backupSessions")).isEqualTo(BASE + "/backupSessions");
    }

    @Test
    void givenEmLinkWithItsOwnFqdn_whenResolved_thenRebasedOntoConfiguredServerKeepingQuery() {
        String href = "https://enterpriseem02.tech.local:9398/api/backupSessions/07fb?format=Entity";

        assertThat(EmUrls.resolve(BASE, href)).isEqualTo(BASE + "/backupSessions/07fb?format=Entity");
    }

    @Test
    void givenLinkOutsideTheApi_whenResolved_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> EmUrls.resolve(BASE, "https://evil/steal"));
    }

    @Test
    void givenReservedCharacters_whenEncoded_thenPercentEncodedWithoutPlus() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("filter", "JobName==\"A B\";CreationTime>=\"2025-08-15T06:00:00Z\"");
        q.put("page", "2");

        assertThat(EmUrls.withQuery(BASE + "/query", q)).isEqualTo(BASE + "/query?filter="
                + "JobName%3D%3D%22A%20B%22%3BCreationTime%3E%3D%222025-08-15T06%3A00%3A00Z%22&page=2");
    }

    @Test
    void givenFormatParam_whenRemoved_thenOtherParamsKept() {
        assertThat(EmUrls.withoutParam(BASE + "/x?format=Entity&a=1", "format")).isEqualTo(BASE + "/x?a=1");
        assertThat(EmUrls.withoutParam(BASE + "/x?format=Entity", "format")).isEqualTo(BASE + "/x");
    }

    @Test
    void givenLogonSessionUrlWithUserInfo_whenDescribed_thenNoSecretsInDescription() {
        assertThat(EmUrls.describe("DELETE", "https://u:p@em01:9398/api/logonSessions/15a3fc97"))
                .isEqualTo("DELETE https://em01:9398/api/logonSessions/{id}");
    }
}
