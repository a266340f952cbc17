package dev.vse.cluster;

import dev.vse.app.ConfigException;
import dev.vse.app.Settings;
import dev.vse.util.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Who polls which EM when several instances run (DESIGN.md "Scale-out and high availability"):
 * {@code CLUSTER_SERVICE} ({@code none}, {@code file}, {@code kubernetes}), {@code CLUSTER_LEASE} (how long a dead owner
 * keeps an EM), {@code CLUSTER_FILE_ROOT} (the shared folder of the file service), {@code CLUSTER_KUBERNETES_NAMESPACE}
 * (where the Lease objects live) and {@code CLUSTER_INSTANCE_ID} (this instance's name; default host name + pid).
 */
public record ClusterSettings(Kind service, Duration lease, Path fileRoot, String kubernetesNamespace, String instanceId) {

    public enum Kind { NONE, FILE, KUBERNETES }

    /** The shortest lease accepted: below it, heartbeats and renewals would run several times a second. */
    public static final Duration MIN_LEASE = Duration.ofSeconds(2);

    public static ClusterSettings from(Settings s) {
        String v = s.get("cluster.service", "none").trim().toLowerCase(Locale.ROOT);
        Kind kind = switch (v) {
            case "none" -> Kind.NONE;
            case "file" -> Kind.FILE;
            case "kubernetes" -> Kind.KUBERNETES;
            default -> throw new ConfigException(Settings.envName("cluster.service") + " '" + v + "' must be none, file or kubernetes");
        };
        String leaseText = s.get("cluster.lease", "15s");
        Duration lease;
        try {
            lease = Durations.parse(leaseText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Settings.envName("cluster.lease") + ": " + e.getMessage());
        }
        if (lease.compareTo(MIN_LEASE) < 0) {
            throw new ConfigException(Settings.envName("cluster.lease") + " must be at least 2s, got '" + leaseText + "'");
        }
        String root = s.get("cluster.file-root");
        if (kind == Kind.FILE && root == null) {
            throw new ConfigException(Settings.envName("cluster.file-root")
                    + " is not set: give the folder all instances share (CLUSTER_SERVICE=file)");
        }
        String ns = s.get("cluster.kubernetes-namespace");
        if (ns != null && !ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new ConfigException(Settings.envName("cluster.kubernetes-namespace") + " '" + ns
                    + "' is not a Kubernetes namespace name (lower case letters, digits, '-')");
        }
        // Kubernetes: the pod's name (HOSTNAME), which the service finds in the pod list; elsewhere host name + pid
        String id = s.get("cluster.instance-id", kind == Kind.KUBERNETES && System.getenv("HOSTNAME") != null
                ? System.getenv("HOSTNAME") : defaultInstanceId());
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new ConfigException(Settings.envName("cluster.instance-id") + " '" + id
                    + "' must be 1-63 letters, digits, '.', '_' or '-'");
        }
        return new ClusterSettings(kind, lease, root == null ? null : Path.of(root), ns, id);
    }

    public boolean clustered() {
        return service != Kind.NONE;
    }

    /** The cluster namespace of one EM: {@code veeam-em-<emId>}, lower case, characters a Lease name allows. */
    public static String namespace(String emId) {
        String safe = emId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return "veeam-em-" + safe;
    }

    /**
     * How often the file service writes the leader's heartbeat and tries the locks: a fifth of the lease, so that
     * a leader whose heartbeat stands still for the lease (5 intervals, the service's heartbeatTimeoutMultiplier) is
     * taken for dead.
     */
    public Duration heartbeatInterval() {
        return lease.dividedBy(HEARTBEAT_MULTIPLIER);
    }

    /** Intervals without a heartbeat after which the leader is stale (FileLockClusterService heartbeatTimeoutMultiplier). */
    public static final int HEARTBEAT_MULTIPLIER = 5;

    static String defaultInstanceId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        String safe = host.replaceAll("[^A-Za-z0-9._-]", "-");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        return safe + "-" + ProcessHandle.current().pid();
    }
}
