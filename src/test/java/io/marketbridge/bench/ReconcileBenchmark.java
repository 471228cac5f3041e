package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (run by bench/reconcile.sh, not by the test suite): a full reconciliation of a
 * 100,000-SKU Odoo catalog against the simulated eBay, Cartona and Medusa, with the service's heap
 * capped at 512 MB and its peak use sampled; then the calls each channel costs per 1,000 changed
 * SKUs. The simulated peers run in a process of their own, so the service's heap is its own.
 */
public final class ReconcileBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PEERS = 28190;
    private static final int SERVICE = 28191;
    private static final String PASSWORD = "bench-admin";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, Map.of("templates", "25000", "variants", "4", "heap", "512m", "channels", "ebay,cartona,medusa"));
        int templates = Integer.parseInt(options.get("templates"));
        int variants = Integer.parseInt(options.get("variants"));
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench").toAbsolutePath();
        String sandbox = "http://localhost:" + PEERS + "/sandbox";
        Map<String, String> peersEnv = Benchmarks.withSimulatedPeers(28792);
        peersEnv.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("peers"));
        // the simulators alone: the service's own routes in this process would find the seeded catalog as a change and
        // push it to these same simulators while the measured service reconciles (2 cores shared)
        peersEnv.put("MARKETBRIDGE_ROUTES", "classpath:sandbox/routes/*.yaml");
        // the benchmark's supplier has its whole catalog on Cartona: the first full sync adds it there
        peersEnv.put("MARKETBRIDGE_SANDBOX_CARTONA_CREATE_UNKNOWN", "true");
        try (ServiceProcess peers = new ServiceProcess("bench-peers", PEERS, peersEnv).start("-Xmx4g")) {
            String prefix = "RB" + Long.toString(System.currentTimeMillis() % 1_000_000, 36).toUpperCase();
            long seeded = System.nanoTime();
            post(peers, "/sandbox/odoo/_catalog", Map.of("templates", templates, "variantsPerTemplate", variants, "skuPrefix", prefix,
                    "price", 10.0, "quantity", 7));
            // a quarter of the catalog is listed on eBay: the first variant of every template
            post(peers, "/sandbox/ebay/_inventory", Map.of("count", templates, "skuPrefix", prefix, "skuSuffix", "-1", "quantity", 0, "price", "1.00"));
            System.out.printf("%n## %d SKUs (%d templates x %d), %s heap cap (%d cores, %s)%n%nSeeded the simulators in %.1f s.%n",
                    templates * variants, templates, variants, options.get("heap"), Runtime.getRuntime().availableProcessors(), Instant.now(),
                    (System.nanoTime() - seeded) / 1e9);

            Map<String, String> env = new HashMap<>();
            env.put("MARKETBRIDGE_ODOO_URL", sandbox + "/odoo");
            env.put("MARKETBRIDGE_ODOO_DATABASE", "sandbox");
            env.put("MARKETBRIDGE_ODOO_USERNAME", "marketbridge-bot");
            env.put("MARKETBRIDGE_ODOO_API_KEY", "sandbox-odoo-key");
            env.put("MARKETBRIDGE_EBAY_API_URL", sandbox + "/ebay");
            env.put("MARKETBRIDGE_EBAY_APP_ID", "Marketbridge-Sandbox-APP");
            env.put("MARKETBRIDGE_EBAY_DEV_ID", "marketbridge-sandbox-dev");
            env.put("MARKETBRIDGE_EBAY_CERT_ID", "SBX-marketbridge-cert");
            env.put("MARKETBRIDGE_EBAY_REFRESH_TOKEN", "sandbox-refresh-token");
            env.put("MARKETBRIDGE_CARTONA_ENABLED", "true");
            env.put("MARKETBRIDGE_CARTONA_URL", sandbox + "/cartona/api/v1/");
            env.put("MARKETBRIDGE_CARTONA_TOKEN", "sandbox-cartona-token");
            env.put("MARKETBRIDGE_CARTONA_PRODUCT_KEY", "default-code"); // checked at the simulator by SKU
            env.put("MARKETBRIDGE_MEDUSA_ENABLED", "true");
            env.put("MARKETBRIDGE_MEDUSA_URL", sandbox + "/medusa");
            env.put("MARKETBRIDGE_MEDUSA_API_KEY", "sk_sandbox_marketbridge_medusa");
            env.put("MARKETBRIDGE_MEDUSA_STOCK_LOCATION_ID", "sloc_sandbox");
            env.put("MARKETBRIDGE_ADMIN_PASSWORD", PASSWORD);
            env.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("service") + ";WRITE_DELAY=0");
            env.put("MARKETBRIDGE_CHANNELS_POLL_PERIOD", "2s");
            // the catalog seeded just now is what the full syncs push, not a change: the first poll reaches back no
            // further than the start (by default 5 minutes before it, for Odoo's clock)
            env.put("MARKETBRIDGE_CHANNELS_CLOCK_SKEW", "1s");
            env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_DELAY", "24h");
            env.put("MARKETBRIDGE_EBAY_FULFILMENT_POLL_DELAY", "24h");
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28793");
            try (ServiceProcess service = new ServiceProcess("bench-service", SERVICE, env).start("-Xmx" + options.get("heap"), Benchmarks.COLLECTOR)) {
                HeapSampler heap = new HeapSampler(service);
                heap.start();
                System.out.printf("%n| run | channel | SKUs pushed | calls | seconds | SKUs/s |%n|---|---|---:|---:|---:|---:|%n");
                String channels = options.get("channels");
                for (String run : List.of("first (creates)", "second (re-asserts)")) {
                    // one run over the channels, the catalog read once: what the nightly reconciliation does
                    String target = channels.contains(",") ? "all" : channels;
                    long started = System.nanoTime();
                    JsonNode report = fullSync(service, target);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    JsonNode byChannel = target.equals("all") ? report.path("byChannel") : JSON.createObjectNode().set(target, report);
                    long pushed = 0;
                    for (String channel : channels.split(",")) {
                        JsonNode totals = byChannel.path(channel).path("totals");
                        pushed += totals.path("pushed").asLong();
                        System.out.printf("| %s | %s | %d | %d | | |%n", run, channel, totals.path("pushed").asLong(), totals.path("calls").asLong());
                    }
                    System.out.printf("| %s | **%s** | %d | | **%.1f** | %.0f |%n", run, target, pushed, seconds, pushed / seconds);
                    if (!"DONE".equals(report.path("state").asText())) {
                        System.out.println("  " + report);
                    }
                }
                heap.stopSampling();
                System.out.printf("%nPeak heap used by the service while reconciling: %d MB (cap %s)%n", heap.peak.get() / (1024 * 1024),
                        options.get("heap"));

                // 1,000 changed SKUs: 250 templates' prices, found by the poll (every 2 s here)
                Map<String, Long> before = calls(peers);
                List<Long> changed = new ArrayList<>();
                for (long t = 1; t <= 1000 / variants; t++) {
                    changed.add(t);
                }
                long firstTemplate = Benchmarks.odoo(peers, "product.template", "search", List.of(List.of(List.of("name", "=", prefix + " product 1"))))
                        .path(0).asLong();
                List<Long> ids = changed.stream().map(t -> firstTemplate + t - 1).toList();
                Benchmarks.odoo(peers, "product.template", "write", List.of(ids, Map.of("list_price", 11.5)));
                String lastSku = prefix + "-" + (1000 / variants) + "-1";
                long started = System.nanoTime();
                while (!JSON.readTree(peers.get("/sandbox/cartona/_products/" + lastSku).body()).path("selling_price").asText().equals("11.50")
                        && (System.nanoTime() - started) / 1e9 < 120) {
                    Thread.sleep(200);
                }
                Thread.sleep(3000); // eBay and Medusa finish the same event
                Map<String, Long> after = calls(peers);
                System.out.printf("%n| channel | calls for 1,000 changed SKUs |%n|---|---:|%n");
                for (String channel : List.of("ebay", "cartona", "medusa")) {
                    System.out.printf("| %s | %d |%n", channel, after.get(channel) - before.get(channel));
                }
                System.out.println("(eBay carries 250 of them: the first variant of each changed template has an eBay offer)");
            }
        }
    }

    private static JsonNode fullSync(ServiceProcess service, String channel) throws Exception {
        service.send(admin(service, "/admin/sync/" + channel).POST(HttpRequest.BodyPublishers.noBody()));
        JsonNode report;
        do {
            Thread.sleep(250);
            report = JSON.readTree(service.send(admin(service, "/admin/sync/" + channel).GET()).body());
        } while ("RUNNING".equals(report.path("state").asText()));
        return report;
    }

    private static HttpRequest.Builder admin(ServiceProcess service, String path) {
        return HttpRequest.newBuilder(URI.create(service.url(path))).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    /** Write calls each simulated channel received so far. */
    private static Map<String, Long> calls(ServiceProcess peers) throws Exception {
        return Map.of("ebay", sum(JSON.readTree(peers.get("/sandbox/ebay/_inventory/stats").body()).path("calls"), "bulk_update"),
                "cartona", sum(JSON.readTree(peers.get("/sandbox/cartona/_stats").body()).path("calls"), ""),
                "medusa", sum(JSON.readTree(peers.get("/sandbox/medusa/_stats").body()).path("calls"), ""));
    }

    private static long sum(JsonNode calls, String containing) {
        long total = 0;
        for (Map.Entry<String, JsonNode> call : calls.properties()) {
            if (call.getKey().contains(containing)) {
                total += call.getValue().asLong();
            }
        }
        return total;
    }

    private static void post(ServiceProcess peers, String path, Object body) throws Exception {
        var answer = peers.send(HttpRequest.newBuilder(URI.create(peers.url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + answer.statusCode() + " " + answer.body());
        }
    }


    /** Samples the service's used heap (all heap pools) every 200 ms from its Prometheus metrics. */
    private static final class HeapSampler extends Thread {
        final AtomicLong peak = new AtomicLong();
        private final ServiceProcess service;
        private volatile boolean running = true;

        HeapSampler(ServiceProcess service) {
            this.service = service;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    double used = service.get("/q/metrics").body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                    peak.accumulateAndGet((long) used, Math::max);
                    Thread.sleep(200);
                } catch (Exception e) {
                    return;
                }
            }
        }

        void stopSampling() {
            running = false;
        }
    }
}
