package io.marketbridge.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.marketbridge.admin.StatusSection;
import io.marketbridge.config.MarketbridgeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.apache.camel.quarkus.main.events.BeforeStop;
import org.apache.camel.support.service.ServiceHelper;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which replica runs the pollers and scheduled jobs: the routes that must run once per installation
 * start from {@code master:pollers:...}, and Camel runs them only on the replica this cluster service
 * elects. Webhooks and the inbox workers run on every replica.
 */
@Singleton
public class LeaderElection implements StatusSection {

    /** The one election the routes' {@code master:} endpoints name. */
    public static final String POLLERS = "pollers";
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final LeaderElectionSettings settings;
    private final MarketbridgeConfig config;
    private final Instance<KubernetesClient> kubernetes;
    private final String identity;
    private volatile CamelClusterService service;

    LeaderElection(LeaderElectionSettings settings, MarketbridgeConfig config, Instance<KubernetesClient> kubernetes,
            MeterRegistry metrics) {
        this.settings = settings;
        this.config = config;
        this.kubernetes = kubernetes;
        this.identity = settings.identity().orElseGet(() -> defaultIdentity(settings.mode()));
        // 1 on the replica running the pollers: summed over replicas, 0 means no poller runs anywhere
        Gauge.builder("marketbridge.leader", this, election -> election.leads() ? 1 : 0)
                .description("Whether this replica runs the pollers and scheduled jobs").register(metrics);
    }

    /** Before the routes are built: their {@code master:} endpoints look the cluster service up in the context. */
    void join(@Observes BeforeConfigure configuring) throws Exception {
        service = switch (settings.mode()) {
            case FILE -> fileLock();
            case KUBERNETES -> lease();
        };
        configuring.getCamelContext().addService(service);
    }

    private CamelClusterService fileLock() {
        Path root = Path.of(settings.fileRoot().orElseGet(this::defaultFileRoot));
        LOG.infof("Leader election: lock files in %s, as %s", root, identity);
        return new LockFileClusterService(root, identity, settings.retryPeriod());
    }

    private CamelClusterService lease() {
        KubernetesClient client = kubernetes.get();
        String namespace = settings.kubernetesNamespace().orElseGet(client::getNamespace);
        LOG.infof("Leader election: Leases %s-* in namespace %s, as %s", settings.leasePrefix(), namespace, identity);
        return new LeaseClusterService(client, namespace, settings.leasePrefix(), identity,
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod());
    }

    /**
     * Graceful handover: when the service begins to stop, the leader gives up its lock or Lease first,
     * so a follower takes over at its next try while the pollers here finish what they are doing
     * (a poll cut short resumes from its stored cursor on the new leader).
     */
    void resign(@Observes BeforeStop stopping) {
        CamelClusterService elected = service;
        if (elected != null) {
            ServiceHelper.stopService(elected);
        }
    }

    public boolean leads() {
        CamelClusterService elected = service;
        return elected != null && elected.isLeader(POLLERS);
    }

    @Override
    public String section() {
        return "leaderElection";
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public Object status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("mode", settings.mode().name().toLowerCase());
        status.put("identity", identity);
        status.put("leader", leads());
        status.put("currentLeader", currentLeader());
        return status;
    }

    private String currentLeader() {
        CamelClusterService elected = service;
        if (elected == null || !elected.getNamespaces().contains(POLLERS)) {
            return null;
        }
        try {
            CamelClusterView view = elected.getView(POLLERS);
            try {
                return view.getLeader().map(CamelClusterMember::getId).orElse(null);
            } finally {
                elected.releaseView(view);
            }
        } catch (Exception e) {
            return null;
        }
    }

    private String defaultFileRoot() {
        String database = config.db().url().orElse("h2:" + Path.of("data").toAbsolutePath());
        return Path.of(System.getProperty("java.io.tmpdir"), "marketbridge-leader-election", sha256(database).substring(0, 16)).toString();
    }

    /** On Kubernetes the pod's name; on one machine the process, since processes there share the host name. */
    private static String defaultIdentity(LeaderElectionSettings.Mode mode) {
        String host = System.getenv("HOSTNAME");
        if (mode == LeaderElectionSettings.Mode.KUBERNETES && host != null && !host.isBlank()) {
            return host;
        }
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
