package io.marketbridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged-jar replicas of one installation on one machine (one PostgreSQL, one lock folder):
 * the pollers run on exactly one; webhooks sent to both are stored and written once; the leader
 * SIGKILLed in the middle of an orders poll (its first page in the inbox, the cursor not moved) →
 * the other takes over and polls again from the cursor, every order written once in Odoo; a leader
 * stopped gracefully (SIGTERM) hands over at once.
 */
class LeaderElectionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] PORTS = {PackagedPeers.SERVICE_PORT, 28092};
    private static final int[] JOLOKIA_PORTS = {28791, 28792};
    private static PackagedPeers peers;
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        peers = new PackagedPeers();
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        peers.close();
        postgres.close();
    }

    private static ServiceProcess replica(int n, String[] database, Path lockFolder) throws Exception {
        Map<String, String> env = new HashMap<>(PackagedPeers.serviceEnv(database[0], database[1], database[2]));
        env.put("MARKETBRIDGE_EBAY_API_URL", peers.peers.url("/sandbox/ebay"));
        env.put("MARKETBRIDGE_EBAY_AUTH_URL", peers.peers.url("/sandbox/ebay"));
        env.put("MARKETBRIDGE_EBAY_ENVIRONMENT", "sandbox");
        env.put("MARKETBRIDGE_EBAY_REFRESH_TOKEN", "sandbox-refresh-token");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_PERIOD", "1s");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_DELAY", "0s");
        env.put("MARKETBRIDGE_EBAY_ORDERS_PAGE_SIZE", "5");
        env.put("MARKETBRIDGE_LEADER_ELECTION_FILE_ROOT", lockFolder.toString());
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", String.valueOf(JOLOKIA_PORTS[n]));
        return new ServiceProcess("replica-" + n, PORTS[n], env);
    }

    private static JsonNode status(ServiceProcess service) throws Exception {
        return JSON.readTree(service.send(HttpRequest.newBuilder(URI.create(service.url("/admin/status")))
                .header("Authorization", PackagedPeers.adminAuthorization())).body());
    }

    private static boolean leads(ServiceProcess service) throws Exception {
        return status(service).path("leaderElection").path("leader").asBoolean();
    }

    private static long polls(ServiceProcess service) throws Exception {
        for (JsonNode flow : status(service).path("flows")) {
            if (flow.path("id").asText().equals("ebay-orders-poll")) {
                return flow.path("exchanges").asLong();
            }
        }
        throw new AssertionError("no ebay-orders-poll flow");
    }

    private List<JsonNode> saleOrders(String ebayOrderId) throws Exception {
        return peers.odoo("sale.order", List.of(List.of("client_order_ref", "=", "ebay:" + ebayOrderId)), List.of("id"));
    }

    private List<JsonNode> products(String sku) throws Exception {
        return peers.odoo("product.product", List.of(List.of("default_code", "=", sku)), List.of("id"));
    }

    @Test
    void pollersRunOnOneReplicaAndTheOtherTakesOver() throws Exception {
        String[] database = PackagedPeers.newDatabase("postgresql", postgres.getJdbcUrl("postgres", "postgres"));
        Path lockFolder = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "leader-election");
        ServiceProcess[] replicas = {replica(0, database, lockFolder).start(), replica(1, database, lockFolder).start()};
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> leads(replicas[0]) != leads(replicas[1]));
            ServiceProcess leader = leads(replicas[0]) ? replicas[0] : replicas[1];
            ServiceProcess follower = leader == replicas[0] ? replicas[1] : replicas[0];

            // each poller runs on the leader only
            await().atMost(Duration.ofSeconds(15)).until(() -> polls(leader) >= 3);
            assertEquals(0, polls(follower), "the follower's orders poller never fired");
            assertEquals(false, leads(follower));

            // webhooks are taken by both replicas: each listing, delivered to both, is written once
            List<String> skus = new ArrayList<>();
            long creates = peers.odooCalls("product.template.create");
            for (int i = 0; i < 4; i++) {
                String sku = "ELECT-" + UUID.randomUUID();
                skus.add(sku);
                String notification = peers.list(Map.of("sku", sku, "title", "Election " + sku, "price", "20.00", "quantity", 50))
                        .get("notification").asText();
                assertEquals(200, PackagedPeers.deliver(replicas[0], notification));
                assertEquals(200, PackagedPeers.deliver(replicas[1], notification));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> skus.stream().allMatch(sku -> {
                try {
                    return products(sku).size() == 1;
                } catch (Exception e) {
                    return false;
                }
            }));
            assertEquals(creates + 4, peers.odooCalls("product.template.create"));

            // orders over three pages; the leader's poll stalls on the second page (eBay answers it
            // 60 s late, once) and the leader is SIGKILLed there, its first page already in the inbox
            peers.ebayFault(Map.of("path", "/sell/fulfillment/v1/order", "method", "GET", "query", "offset=5",
                    "delayMillis", 60_000, "times", 1));
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                orders.add(peers.createOrder(Map.of("lines", List.of(Map.of("sku", skus.get(i % 4), "quantity", 1, "price", "20.00")))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (String order : orders) {
                    if (!saleOrders(order).isEmpty()) {
                        return true;
                    }
                }
                return false;
            });
            leader.kill();
            assertFalse(leader.output().contains("order change(s)"), "the leader's poll was cut before it finished:\n"
                    + leader.output());
            long killed = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> leads(follower));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            assertTrue(takeover.compareTo(Duration.ofSeconds(5)) < 0, "took over within two lock tries: " + takeover);
            await().atMost(Duration.ofSeconds(15)).until(() -> polls(follower) >= 2);

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (String order : orders) {
                    if (saleOrders(order).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            PackagedPeers.awaitIdle(follower); // a late duplicate would show up now
            for (String order : orders) {
                assertEquals(1, saleOrders(order).size(), "one sale order for " + order);
            }
            for (String sku : skus) {
                assertEquals(1, products(sku).size(), "one product for " + sku);
            }

            // the killed replica comes back as a follower; the leader stopped gracefully hands over at once
            int back = leader == replicas[0] ? 0 : 1;
            replicas[back] = replica(back, database, lockFolder).start();
            ServiceProcess returned = replicas[back];
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> !leads(returned) && leads(follower));
            long stopping = System.nanoTime();
            follower.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> leads(returned));
            Duration handover = Duration.ofNanos(System.nanoTime() - stopping);
            assertTrue(handover.compareTo(Duration.ofSeconds(10)) < 0, "handed over while stopping: " + handover);
            await().atMost(Duration.ofSeconds(15)).until(() -> polls(returned) >= 2);
        } finally {
            for (ServiceProcess replica : replicas) {
                replica.close();
            }
        }
    }
}
