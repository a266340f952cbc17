package dev.vse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vse.app.Settings;
import dev.vse.cluster.Clustering;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/ parsed and checked (no kubeconform or kubectl here): the kinds, a Deployment of 2+ replicas
 * whose pods carry the label the cluster service lists members by, probes on /observe/health/live and /ready at
 * the management port, RBAC for Leases (and the pod list), passwords only as files from the Secret, and every
 * variable one the application reads.
 */
class KubernetesManifestsTest {
    static final Path DIR = Path.of("deploy", "kubernetes");
    /** Read by parts of the application outside application.properties' keys (STATE_STORE: the Kafka state store). */
    static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "STATE_STORE");

    static Map<String, List<JsonNode>> byKind() throws IOException {
        Map<String, List<JsonNode>> out = new HashMap<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIR, "*.yaml")) {
            for (Path f : files) {
                try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode d = docs.next();
                        if (d != null && d.has("kind")) {
                            out.computeIfAbsent(d.get("kind").asText(), k -> new ArrayList<>()).add(d);
                        }
                    }
                }
            }
        }
        return out;
    }

    static JsonNode one(Map<String, List<JsonNode>> all, String kind) {
        assertThat(all.get(kind)).as("one %s", kind).hasSize(1);
        return all.get(kind).get(0);
    }

    @Test
    void kinds_deploymentWithTwoReplicas_labelsTheClusterServiceLists_probes() throws IOException {
        Map<String, List<JsonNode>> all = byKind();
        assertThat(one(all, "Kustomization").get("resources")).as("kustomization lists every file").hasSize(fileCount() - 1);
        assertThat(all).containsKeys("Namespace", "ServiceAccount", "Role", "RoleBinding", "Secret", "ConfigMap", "Deployment");
        JsonNode d = one(all, "Deployment");
        assertThat(d.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode pod = d.at("/spec/template");
        Clustering.KUBERNETES_LABELS.forEach((k, v) -> {
            assertThat(pod.at("/metadata/labels").get(k).asText()).as("pod label %s", k).isEqualTo(v);
            assertThat(d.at("/spec/selector/matchLabels").get(k).asText()).isEqualTo(v);
        });
        assertThat(pod.at("/spec/serviceAccountName").asText()).isEqualTo(one(all, "ServiceAccount").at("/metadata/name").asText());
        JsonNode c = pod.at("/spec/containers/0");
        String port = Settings.bundled().getProperty("camel.management.port");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/observe/health/live");
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/observe/health/ready");
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            String p = c.at("/" + probe + "/httpGet/port").asText();
            String resolved = p.matches("\\d+") ? p : containerPort(c, p);
            assertThat(resolved).as("%s port", probe).isEqualTo(port);
        }
        String ns = one(all, "Namespace").at("/metadata/name").asText();
        for (List<JsonNode> docs : all.values()) {
            for (JsonNode doc : docs) {
                if (!Set.of("Namespace", "Kustomization").contains(doc.get("kind").asText())) {
                    assertThat(doc.at("/metadata/namespace").asText()).as("namespace of %s", doc.get("kind")).isEqualTo(ns);
                }
            }
        }
    }

    private static int fileCount() throws IOException {
        try (var files = Files.list(DIR)) {
            return (int) files.filter(f -> f.toString().endsWith(".yaml")).count();
        }
    }

    private static String containerPort(JsonNode container, String name) {
        for (JsonNode p : container.get("ports")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("containerPort").asText();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    @Test
    void rbac_leasesGetListWatchCreateUpdatePatch_podsListed_boundToTheServiceAccount() throws IOException {
        Map<String, List<JsonNode>> all = byKind();
        JsonNode role = one(all, "Role");
        Set<String> leaseVerbs = new HashSet<>();
        Set<String> podVerbs = new HashSet<>();
        for (JsonNode rule : role.get("rules")) {
            Set<String> groups = new HashSet<>();
            rule.get("apiGroups").forEach(g -> groups.add(g.asText()));
            for (JsonNode r : rule.get("resources")) {
                if (r.asText().equals("leases") && groups.contains("coordination.k8s.io")) {
                    rule.get("verbs").forEach(v -> leaseVerbs.add(v.asText()));
                }
                if (r.asText().equals("pods") && groups.contains("")) {
                    rule.get("verbs").forEach(v -> podVerbs.add(v.asText()));
                }
            }
        }
        assertThat(leaseVerbs).contains("get", "list", "watch", "create", "update", "patch");
        assertThat(podVerbs).contains("get", "list");
        JsonNode binding = one(all, "RoleBinding");
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText()).isEqualTo(role.at("/metadata/name").asText());
        JsonNode subject = binding.at("/subjects/0");
        JsonNode sa = one(all, "ServiceAccount");
        assertThat(subject.get("kind").asText()).isEqualTo("ServiceAccount");
        assertThat(subject.get("name").asText()).isEqualTo(sa.at("/metadata/name").asText());
        assertThat(subject.get("namespace").asText()).isEqualTo(sa.at("/metadata/namespace").asText());
    }

    @Test
    void environment_kafkaStoreKubernetesClusterService_passwordsAsFilesFromTheSecret_onlyKnownVariables() throws IOException {
        Map<String, List<JsonNode>> all = byKind();
        JsonNode cm = one(all, "ConfigMap");
        JsonNode d = one(all, "Deployment");
        JsonNode c = d.at("/spec/template/spec/containers/0");
        assertThat(c.at("/envFrom/0/configMapRef/name").asText()).isEqualTo(cm.at("/metadata/name").asText());
        assertThat(cm.at("/data/STATE_STORE").asText()).isEqualTo("kafka");
        assertThat(cm.at("/data/CLUSTER_SERVICE").asText()).isEqualTo("kubernetes");
        Map<String, JsonNode> env = new HashMap<>();
        c.get("env").forEach(e -> env.put(e.get("name").asText(), e));
        assertThat(env.get("CLUSTER_INSTANCE_ID").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(env.get("CLUSTER_KUBERNETES_NAMESPACE").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.namespace");

        // passwords: files in the mounted Secret, never plain values
        JsonNode secret = one(all, "Secret");
        String mount = null;
        for (JsonNode v : d.at("/spec/template/spec/volumes")) {
            if (v.has("secret") && v.at("/secret/secretName").asText().equals(secret.at("/metadata/name").asText())) {
                for (JsonNode m : c.get("volumeMounts")) {
                    if (m.get("name").asText().equals(v.get("name").asText())) {
                        mount = m.get("mountPath").asText();
                    }
                }
            }
        }
        assertThat(mount).as("the Secret is mounted").isNotNull();
        Set<String> variables = new HashSet<>(env.keySet());
        cm.get("data").fieldNames().forEachRemaining(variables::add);
        for (String v : variables) {
            assertThat(v).as("a password only as a file").doesNotEndWith("_PASSWORD");
            if (v.endsWith("_PASSWORD_FILE")) {
                String file = env.get(v).get("value").asText();
                assertThat(file).startsWith(mount + "/");
                assertThat(secret.at("/stringData").has(file.substring(mount.length() + 1))).as("Secret key of %s", v).isTrue();
            }
        }
        // every variable is one the application reads: a key of application.properties, or its *_FILE form
        Properties bundled = Settings.bundled();
        Set<String> known = new HashSet<>(OTHER_VARIABLES);
        for (String k : bundled.stringPropertyNames()) {
            known.add(Settings.envName(k));
        }
        for (String v : variables) {
            String base = v.replaceFirst("^EM_\\d+_", "EM_");
            if (base.endsWith("_PASSWORD_FILE")) {
                base = base.substring(0, base.length() - "_FILE".length());
                assertThat(base).endsWith("_PASSWORD");
                continue;
            }
            assertThat(known).as("variable %s is read by the application", v).contains(base);
        }
    }
}
