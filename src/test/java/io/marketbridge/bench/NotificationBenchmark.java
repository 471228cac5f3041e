package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.PlatformNotificationSignature;
import io.marketbridge.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (run by bench/notifications.sh, not by the test suite): signed Platform
 * Notifications accepted per second with ack latency at several concurrency levels, then
 * notification → Odoo write latency at a steady rate. The packaged jar runs with its simulated
 * Odoo on H2 or on an embedded PostgreSQL; the load comes from this separate process.
 */
public final class NotificationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PORT = 28095;
    private static final String APP = "Marketbridge-Sandbox-APP", DEV = "marketbridge-sandbox-dev", CERT = "SBX-marketbridge-cert";
    private static final AtomicLong ITEM_IDS = new AtomicLong(200_000_000_000L + System.currentTimeMillis() % 1_000_000 * 1000);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI webhook = URI.create("http://localhost:" + PORT + "/webhooks/ebay/platform");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("db", "h2", "concurrency", "1,8,32,64", "requests", "4000",
                "warmup", "2000", "e2e-rate", "20", "e2e-count", "300"));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        new NotificationBenchmark().run(options);
    }

    private void run(Map<String, String> options) throws Exception {
        String db = options.get("db");
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench");
        EmbeddedPostgres postgres = db.equals("postgresql") ? EmbeddedPostgres.builder().start() : null;
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_PROFILE", "demo");
        env.put("MARKETBRIDGE_ROUTES", "classpath:routes/*.yaml,classpath:sandbox/routes/*.yaml");
        env.put("MARKETBRIDGE_SANDBOX_EBAY_ACTIVITY", "false");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", "28796");
        if (postgres != null) {
            env.put("MARKETBRIDGE_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("MARKETBRIDGE_DB_USERNAME", "postgres");
            env.put("MARKETBRIDGE_DB_PASSWORD", "postgres");
        } else {
            env.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("bench") + ";WRITE_DELAY=0");
        }
        try (ServiceProcess service = new ServiceProcess("bench-" + db, PORT, env).start("-Xmx1g")) {
            System.out.printf("%n## %s (%d cores, %s)%n%n", db, Runtime.getRuntime().availableProcessors(), Instant.now());
            accept(Integer.parseInt(options.get("warmup")), 16); // JIT warm-up, not reported
            waitForDrain(service);
            System.out.println("| concurrency | requests | accepted/s | ack p50 ms | ack p99 ms | ack max ms | non-2xx |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (String level : options.get("concurrency").split(",")) {
                int concurrency = Integer.parseInt(level.trim());
                Result r = accept(Integer.parseInt(options.get("requests")), concurrency);
                System.out.printf("| %d | %d | %.0f | %.1f | %.1f | %.1f | %d |%n", concurrency, r.count, r.perSecond,
                        r.percentile(50), r.percentile(99), r.percentile(100), r.failures);
                waitForDrain(service);
            }
            endToEnd(Integer.parseInt(options.get("e2e-rate")), Integer.parseInt(options.get("e2e-count")));
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private record Result(int count, double perSecond, double[] millis, int failures) {
        double percentile(int p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    /** {@code count} notifications from {@code concurrency} senders as fast as they are answered. */
    private Result accept(int count, int concurrency) throws Exception {
        double[] millis = new double[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            senders.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String body = notification(sku("B"));
                    long sent = System.nanoTime();
                    try {
                        int status = post(body);
                        if (status / 100 != 2) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    millis[i] = (System.nanoTime() - sent) / 1e6;
                }
                return null;
            });
        }
        senders.shutdown();
        senders.awaitTermination(30, java.util.concurrent.TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(count, count / seconds, millis, failures.get());
    }

    /** A steady trickle; each product's arrival in the simulated Odoo is watched for. */
    private void endToEnd(int rate, int count) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = new ArrayList<>();
        Thread watcher = new Thread(() -> {
            while (latencies.size() < count && !Thread.currentThread().isInterrupted()) {
                try {
                    List<String> pending = new ArrayList<>(sentAt.keySet());
                    if (!pending.isEmpty()) {
                        for (JsonNode row : odooProducts(pending)) {
                            Long sent = sentAt.remove(row.get("default_code").asText());
                            if (sent != null) {
                                synchronized (latencies) {
                                    latencies.add((System.nanoTime() - sent) / 1e6);
                                }
                            }
                        }
                    }
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // keep watching
                }
            }
        });
        watcher.start();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
            String sku = sku("E");
            String body = notification(sku);
            sentAt.put(sku, System.nanoTime());
            post(body);
        }
        watcher.join(60_000);
        watcher.interrupt();
        double[] millis = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Result r = new Result(millis.length, rate, millis, count - millis.length);
        System.out.printf("%n| notification → Odoo product (rate %d/s, %d listings) | p50 ms | p99 ms | max ms | missing |%n", rate, count);
        System.out.println("|---|---:|---:|---:|---:|");
        System.out.printf("| send → product readable in Odoo | %.0f | %.0f | %.0f | %d |%n",
                r.percentile(50), r.percentile(99), r.percentile(100), r.failures);
    }

    private List<JsonNode> odooProducts(List<String> skus) throws Exception {
        Map<String, Object> call = Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", Map.of("service", "object",
                "method", "execute_kw", "args", List.of("sandbox", 2, "sandbox-odoo-key", "product.product", "search_read",
                        List.of(List.of(List.of("default_code", "in", skus))), Map.of("fields", List.of("default_code")))));
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/sandbox/odoo/jsonrpc"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(call))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(response.body()).path("result").forEach(rows::add);
        return rows;
    }

    /** Waits until the service has worked off its inbox, so one level's backlog does not slow the next. */
    private void waitForDrain(ServiceProcess service) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        while (Instant.now().isBefore(deadline)) {
            String metrics = service.get("/q/metrics").body();
            double pending = metrics.lines().filter(l -> l.startsWith("marketbridge_inbox_depth{status=\"pending\"}"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            if (pending == 0) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private int post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(webhook).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String sku(String prefix) {
        return prefix + "-" + ITEM_IDS.incrementAndGet();
    }

    /** An ItemListed notification as eBay sends it, signed for the sandbox application. */
    static String notification(String sku) {
        String itemId = sku.substring(2);
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Header><ebl:RequesterCredentials xmlns:ebl=\"urn:ebay:apis:eBLBaseComponents\"><ebl:NotificationSignature>"
                + PlatformNotificationSignature.sign(timestamp, DEV, APP, CERT) + "</ebl:NotificationSignature></ebl:RequesterCredentials>"
                + "</soapenv:Header><soapenv:Body><GetItemResponse xmlns=\"urn:ebay:apis:eBLBaseComponents\"><Timestamp>" + timestamp
                + "</Timestamp><Ack>Success</Ack><Version>1349</Version><NotificationEventName>ItemListed</NotificationEventName>"
                + "<RecipientUserID>bench_seller</RecipientUserID><Item><Currency>USD</Currency><Description>&lt;p&gt;Benchmark item&lt;/p&gt;"
                + "</Description><ItemID>" + itemId + "</ItemID><ListingType>FixedPriceItem</ListingType><PrimaryCategory><CategoryID>31388"
                + "</CategoryID><CategoryName>Cameras &amp; Photo:Digital Cameras</CategoryName></PrimaryCategory><Quantity>5</Quantity>"
                + "<SellingStatus><CurrentPrice currencyID=\"USD\">19.99</CurrentPrice><QuantitySold>0</QuantitySold><ListingStatus>Active"
                + "</ListingStatus></SellingStatus><SKU>" + sku + "</SKU><StartPrice currencyID=\"USD\">19.99</StartPrice><Title>Benchmark "
                + sku + "</Title></Item></GetItemResponse></soapenv:Body></soapenv:Envelope>";
    }
}
