package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark (run by bench/orders.sh, not by the test suite): eBay orders imported per second into
 * the simulated Odoo by the getOrders poll, and the HTTP calls each order costs at each peer. The
 * packaged jar runs with its simulated peers on H2 or an embedded PostgreSQL; this process creates
 * the orders on the simulated eBay and watches Odoo fill.
 */
public final class OrdersBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 28097;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, Map.of("db", "h2", "orders", "10000"));
        String db = options.get("db");
        int orders = Integer.parseInt(options.get("orders"));
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench").toAbsolutePath();
        EmbeddedPostgres postgres = db.equals("postgresql") ? EmbeddedPostgres.builder().start() : null;
        Map<String, String> env = Benchmarks.withSimulatedPeers(28798);
        // the poll runs every second, so the measured time is the import's, not the wait for a timer
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_PERIOD", "1s");
        env.put("MARKETBRIDGE_EBAY_ORDERS_POLL_DELAY", "1s");
        if (postgres != null) {
            env.put("MARKETBRIDGE_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("MARKETBRIDGE_DB_USERNAME", "postgres");
            env.put("MARKETBRIDGE_DB_PASSWORD", "postgres");
        } else {
            env.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("bench") + ";WRITE_DELAY=0");
        }
        try (ServiceProcess service = new ServiceProcess("bench-orders-" + db, PORT, env).start("-Xmx1g", Benchmarks.COLLECTOR)) {
            run(service, db, orders);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static void run(ServiceProcess service, String db, int orders) throws Exception {
        String[] skus = new String[4];
        for (int i = 0; i < skus.length; i++) {
            skus[i] = "BENCH-" + Long.toString(System.nanoTime(), 36).toUpperCase() + i;
            Benchmarks.odoo(service, "product.template", "create", List.of(Map.of("name", "Bench " + skus[i], "default_code", skus[i], "type", "product")));
        }
        Map<String, Integer> odooBefore = odooCalls(service);
        JsonNode ebayBefore = json(service, "/sandbox/ebay/_orders/stats");
        long started = System.nanoTime();
        for (int created = 0, batch = 0; created < orders; created += 500, batch++) {
            Map<String, Object> request = Map.of("count", Math.min(500, orders - created), "deliveryCost", "3.00", "lines", batch % 2 == 0
                    ? List.of(Map.of("sku", skus[batch % 4], "quantity", 1, "price", "12.00"))
                    : List.of(Map.of("sku", skus[batch % 4], "quantity", 2, "price", "5.00"), Map.of("sku", skus[(batch + 1) % 4], "quantity", 1, "price", "7.50")));
            service.send(HttpRequest.newBuilder(URI.create(service.url("/sandbox/ebay/_orders")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
        }
        long imported;
        do {
            Thread.sleep(500);
            imported = Benchmarks.odoo(service, "sale.order", "search_count", List.of(List.of())).asLong();
        } while (imported < orders && (System.nanoTime() - started) / 1e9 < 900);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Integer> odooAfter = odooCalls(service);
        JsonNode ebayAfter = json(service, "/sandbox/ebay/_orders/stats");

        System.out.printf("%n## %s, %d orders (%d cores, %s)%n%n", db, orders, Runtime.getRuntime().availableProcessors(), Instant.now());
        System.out.printf("| orders in Odoo | seconds | orders/s |%n|---:|---:|---:|%n| %d | %.1f | %.0f |%n", imported, seconds, imported / seconds);
        int pages = ebayAfter.path("getOrdersCalls").asInt() - ebayBefore.path("getOrdersCalls").asInt();
        System.out.printf("%n| peer | call | calls | per order |%n|---|---|---:|---:|%n");
        System.out.printf("| eBay | getOrders (pages of 200, polls included) | %d | %.3f |%n", pages, pages / (double) orders);
        Map<String, Integer> odoo = new TreeMap<>();
        odooAfter.forEach((call, count) -> odoo.put(call, count - odooBefore.getOrDefault(call, 0)));
        int total = 0;
        for (Map.Entry<String, Integer> call : odoo.entrySet()) {
            if (call.getValue() > 0) {
                System.out.printf("| Odoo | %s | %d | %.3f |%n", call.getKey(), call.getValue(), call.getValue() / (double) orders);
                total += call.getValue();
            }
        }
        System.out.printf("| Odoo | all | %d | %.2f |%n", total, total / (double) orders);
    }

    private static Map<String, Integer> odooCalls(ServiceProcess service) throws Exception {
        Map<String, Integer> calls = new HashMap<>();
        for (Map.Entry<String, JsonNode> call : json(service, "/sandbox/odoo/_stats").path("calls").properties()) {
            calls.put(call.getKey(), call.getValue().asInt());
        }
        return calls;
    }

    private static JsonNode json(ServiceProcess service, String path) throws Exception {
        return JSON.readTree(service.get(path).body());
    }

}
