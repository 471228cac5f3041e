package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark (run by bench/channel-orders.sh, not by the test suite): a channel's order placed → its sale order readable
 * in Odoo: Cartona's through the webhook and through the pull, Medusa's through its poll. The packaged jar runs with its simulated peers (demo profile) on H2
 * or on an embedded PostgreSQL with durable commits ({@code synchronous_commit=on}, {@code fsync=on}); this process
 * places the orders on the simulated Cartona at a steady rate and watches the simulated Odoo every 20 ms. The bare
 * endpoint of the same process ({@code /q/health/live}) is timed in the same run for reference.
 */
public final class ChannelOrdersBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 28099;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, Map.of("db", "h2", "orders", "150", "rate", "5", "pull-period", "10s"));
        // both channels' polls at the same period: the figure to compare each with
        String db = options.get("db");
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench").toAbsolutePath();
        Map<String, String> env = Benchmarks.withSimulatedPeers(28799);
        env.put("MARKETBRIDGE_CARTONA_ORDERS_POLL_PERIOD", options.get("pull-period"));
        env.put("MARKETBRIDGE_CARTONA_ORDERS_POLL_DELAY", "1s");
        env.put("MARKETBRIDGE_MEDUSA_ORDERS_POLL_PERIOD", options.get("pull-period"));
        env.put("MARKETBRIDGE_MEDUSA_ORDERS_POLL_DELAY", "1s");
        try (Benchmarks.Store store = Benchmarks.Store.open(db, tmp, env);
                ServiceProcess service = new ServiceProcess("bench-cartona-" + db, PORT, env).start("-Xmx1g", Benchmarks.COLLECTOR)) {
            run(service, db, store.description, Integer.parseInt(options.get("orders")), Double.parseDouble(options.get("rate")), options.get("pull-period"));
        }
    }

    private static void run(ServiceProcess service, String db, String durability, int orders, double rate, String pullPeriod) throws Exception {
        List<String> products = new ArrayList<>();
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String sku = "CBENCH-" + Long.toString(System.nanoTime(), 36).toUpperCase() + i;
            skus.add(sku);
            Benchmarks.odoo(service, "product.template", "create", List.of(Map.of("name", "Bench " + sku, "default_code", sku, "type", "product")));
            products.add(Benchmarks.odoo(service, "product.product", "search_read", List.of(List.of(List.of("default_code", "=", sku))))
                    .path(0).path("id").asText());
        }
        List<Double> bare = bare(service, 300);
        List<Double> webhook = measure(service, products, orders, rate, true);
        List<Double> pulled = measure(service, products, Math.max(20, orders / 5), 2, false);
        List<Double> medusa = measureMedusa(service, skus, Math.max(20, orders / 5), 2);

        System.out.printf("%n## %s (%s), %d cores, %s%n%n", db, durability, Runtime.getRuntime().availableProcessors(), Instant.now());
        System.out.printf("| path | orders | p50 ms | p90 ms | p99 ms | max ms |%n|---|---:|---:|---:|---:|---:|%n");
        row("bare endpoint `GET /q/health/live` (reference)", bare);
        row("Cartona webhook → sale order in Odoo (" + rate + " orders/s)", webhook);
        row("Cartona pull (every " + pullPeriod + ") → sale order in Odoo", pulled);
        row("Medusa poll (every " + pullPeriod + ") → sale order in Odoo", medusa);
    }

    /** Places Medusa orders (captured) at the rate and times each to its sale order, brought by the Medusa order poll. */
    private static List<Double> measureMedusa(ServiceProcess service, List<String> skus, int count, double rate) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> watch(service, "medusa:", sentAt, latencies));
        watcher.start();
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Map<String, Object> order = Map.of("email", "bench" + (i % 40) + "@example.com", "currency_code", "eur", "payment_status", "captured",
                    "items", List.of(Map.of("sku", skus.get(i % 4), "quantity", 1 + i % 3, "unit_price", 9.99)),
                    "shipping_methods", List.of(Map.of("name", "Standard", "amount", 4.5)),
                    "shipping_address", Map.of("first_name", "Bench", "last_name", "Shopper", "address_1", "1 Main St", "city", "Berlin",
                            "postal_code", "10115", "country_code", "de"));
            JsonNode placed = JSON.readTree(post(service, "/sandbox/medusa/_orders", JSON.writeValueAsString(order), null));
            sentAt.put(placed.path("order").path("id").asText(), System.nanoTime());
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return awaitAll(watcher, latencies, count);
    }

    /** Places orders at the rate (each pushed through the webhook too, or left to the pull) and times each to its sale order. */
    private static List<Double> measure(ServiceProcess service, List<String> products, int count, double rate, boolean push) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> watch(service, "cartona:", sentAt, latencies));
        watcher.start();
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Map<String, Object> order = Map.of("retailer", Map.of("retailer_code", "BR" + (i % 40), "retailer_name", "Bench retailer " + (i % 40)),
                    "order_details", List.of(Map.of("internal_product_id", products.get(i % 4), "amount", 1 + i % 3, "selling_price", "12.50"),
                            Map.of("internal_product_id", products.get((i + 1) % 4), "amount", 2, "selling_price", "7.25")));
            JsonNode placed = JSON.readTree(post(service, "/sandbox/cartona/_orders", JSON.writeValueAsString(order), null));
            sentAt.put(placed.path("hashed_id").asText(), System.nanoTime());
            if (push) {
                post(service, "/webhooks/cartona/orders", placed.toString(), "sandbox-cartona-webhook-main");
            }
            next += period;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return awaitAll(watcher, latencies, count);
    }

    private static List<Double> awaitAll(Thread watcher, List<Double> latencies, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (latencies.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        watcher.interrupt();
        watcher.join();
        if (latencies.size() < count) {
            throw new IllegalStateException(latencies.size() + " of " + count + " orders reached Odoo within 5 minutes");
        }
        return latencies;
    }

    /** Reads the simulated Odoo every 20 ms for the sale orders of the orders placed ({@code <channel>:<id>}), timing each. */
    private static void watch(ServiceProcess service, String prefix, Map<String, Long> sentAt, List<Double> latencies) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<String> refs = sentAt.keySet().stream().map(id -> prefix + id).toList();
                if (!refs.isEmpty()) {
                    JsonNode found = Benchmarks.odoo(service, "sale.order", "search_read", List.of(List.of(List.of("client_order_ref", "in", refs))));
                    long now = System.nanoTime();
                    for (JsonNode order : found) {
                        Long sent = sentAt.remove(order.path("client_order_ref").asText().substring(prefix.length()));
                        if (sent != null) {
                            latencies.add((now - sent) / 1e6);
                        }
                    }
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<Double> bare(ServiceProcess service, int count) throws Exception {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            service.get("/q/health/live");
            latencies.add((System.nanoTime() - start) / 1e6);
        }
        return latencies;
    }

    private static void row(String path, List<Double> latencies) {
        List<Double> sorted = latencies.stream().sorted().toList();
        System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", path, sorted.size(), at(sorted, 0.5), at(sorted, 0.9), at(sorted, 0.99),
                sorted.get(sorted.size() - 1));
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(quantile * sorted.size())));
    }

    private static String post(ServiceProcess service, String path, String body, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("AuthorizationToken", secret);
        }
        var response = service.send(request);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

}
