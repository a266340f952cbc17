package dev.vse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vse.app.ConfigException;
import dev.vse.app.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    static ClusterSettings of(Map<String, String> overrides) {
        return ClusterSettings.from(new Settings(Settings.bundled(), Map.of(), overrides));
    }

    @Test
    void defaults_noClusterServiceLease15s_instanceIdIsHostAndPid() {
        ClusterSettings s = of(Map.of());
        assertThat(s.service()).isEqualTo(ClusterSettings.Kind.NONE);
        assertThat(s.clustered()).isFalse();
        assertThat(s.lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.instanceId()).endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void fileAndKubernetes_parsed() {
        ClusterSettings f = of(Map.of("cluster.service", "FILE", "cluster.file-root", "/shared/cluster", "cluster.lease", "6s",
                "cluster.instance-id", "vse-1"));
        assertThat(f.service()).isEqualTo(ClusterSettings.Kind.FILE);
        assertThat(f.fileRoot().toString()).isEqualTo("/shared/cluster");
        assertThat(f.instanceId()).isEqualTo("vse-1");
        assertThat(f.heartbeatInterval()).isEqualTo(Duration.ofMillis(1200));
        ClusterSettings k = of(Map.of("cluster.service", "kubernetes", "cluster.kubernetes-namespace", "veeam"));
        assertThat(k.service()).isEqualTo(ClusterSettings.Kind.KUBERNETES);
        assertThat(k.kubernetesNamespace()).isEqualTo("veeam");
    }

    @Test
    void badValues_oneLineErrorsNamingTheVariable() {
        assertThatThrownBy(() -> of(Map.of("cluster.service", "zookeeper"))).isInstanceOf(ConfigException.class)
                .hasMessage("CLUSTER_SERVICE 'zookeeper' must be none, file or kubernetes");
        assertThatThrownBy(() -> of(Map.of("cluster.service", "file"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CLUSTER_FILE_ROOT is not set");
        assertThatThrownBy(() -> of(Map.of("cluster.lease", "1s"))).isInstanceOf(ConfigException.class)
                .hasMessage("CLUSTER_LEASE must be at least 2s, got '1s'");
        assertThatThrownBy(() -> of(Map.of("cluster.lease", "soon"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CLUSTER_LEASE: ");
        assertThatThrownBy(() -> of(Map.of("cluster.kubernetes-namespace", "Veeam_NS"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CLUSTER_KUBERNETES_NAMESPACE 'Veeam_NS' is not");
        assertThatThrownBy(() -> of(Map.of("cluster.instance-id", "a b"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("CLUSTER_INSTANCE_ID 'a b' must be");
    }

    @Test
    void namespacePerEm_lowerCaseLeaseNameSafe() {
        assertThat(ClusterSettings.namespace("em01")).isEqualTo("veeam-em-em01");
        assertThat(ClusterSettings.namespace("EM_02.x")).isEqualTo("veeam-em-em-02-x");
    }

    @Test
    void share_isCeilingOfEmsOverInstances() {
        assertThat(FileSpreading.share(6, 3)).isEqualTo(2);
        assertThat(FileSpreading.share(6, 4)).isEqualTo(2);
        assertThat(FileSpreading.share(7, 3)).isEqualTo(3);
        assertThat(FileSpreading.share(6, 1)).isEqualTo(6);
        assertThat(FileSpreading.share(2, 5)).isEqualTo(1);
    }
}
