package io.marketbridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.notifications.PlatformNotificationSignature;
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
        Map<String, String> options = Benchmarks.options(args, Map.of("db", "h2", "concurrency", "1,8,32,64", "requests", "4000",
                "warmup", "2000", "e2e-rate", "20", "e2e-count", "300", "processing", "on", "service-jvm", "", "seconds", "10"));
        new NotificationBenchmark().run(options);
    }

    private void run(Map<String, String> options) throws Exception {
        String db = options.get("db");
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench").toAbsolutePath();
        EmbeddedPostgres postgres = db.equals("postgresql") ? EmbeddedPostgres.builder().start() : null;
        Map<String, String> env = Benchmarks.withSimulatedPeers(28796);
        boolean processing = !options.get("processing").equals("off");
        if (!processing) {
            // acceptance alone: the dispatcher does not run, events stay in the inbox
            env.put("MARKETBRIDGE_PIPELINE_DISPATCH_PERIOD", "24h");
        }
        if (postgres != null) {
            env.put("MARKETBRIDGE_DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
            env.put("MARKETBRIDGE_DB_USERNAME", "postgres");
            env.put("MARKETBRIDGE_DB_PASSWORD", "postgres");
        } else {
            env.put("MARKETBRIDGE_DB_URL", "jdbc:h2:file:" + tmp.resolve("bench") + ";WRITE_DELAY=0");
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        if (!options.get("service-jvm").isBlank()) {
            jvm.addAll(List.of(options.get("service-jvm").split(" ")));
        }
        try (ServiceProcess service = new ServiceProcess("bench-" + db, PORT, env).start(jvm.toArray(String[]::new))) {
            System.out.printf("%n## %s, processing %s (%d cores, %s)%n%n", db, processing ? "on" : "off",
                    Runtime.getRuntime().availableProcessors(), Instant.now());
            accept(Integer.parseInt(options.get("warmup")), 16); // JIT warm-up, not reported
            if (processing) {
                waitForDrain(service);
            }
            System.out.println("| concurrency | requests | accepted/s | ack p50 ms | ack p99 ms | ack max ms | non-2xx |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (String level : options.get("concurrency").split(",")) {
                int concurrency = Integer.parseInt(level.trim());
                Result r = wrk(concurrency, Integer.parseInt(options.get("seconds")), tmp);
                System.out.printf("| %d | %d | %.0f | %.1f | %.1f | %.1f | %d |%n", concurrency, r.count, r.perSecond,
                        r.p50(), r.p99(), r.max(), r.failures());
                if (processing) {
                    waitForDrain(service);
                }
            }
            if (processing) {
                endToEnd(Integer.parseInt(options.get("e2e-rate")), Integer.parseInt(options.get("e2e-count")));
                costs(service);
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private record Result(int count, double perSecond, double p50, double p99, double max, int failures) {
        static Result of(int count, double perSecond, double[] millis, int failures) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Result(count, perSecond, percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100), failures);
        }

        private static double percentile(double[] sorted, int p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    /**
     * Acceptance under load from wrk (a C load generator, so the load costs little of the two
     * cores the service shares with it): {@code concurrency} connections for {@code seconds}, each
     * request a unique, freshly signed notification.
     */
    private Result wrk(int concurrency, int seconds, Path tmp) throws Exception {
        Path bodies = tmp.resolve("bodies-" + concurrency + ".txt");
        try (var out = Files.newBufferedWriter(bodies)) {
            for (int i = 0; i < 4000 * seconds; i++) {
                out.write(notification(sku("W")));
                out.newLine();
            }
        }
        int threads = Math.min(2, concurrency);
        Process wrk = new ProcessBuilder("wrk", "-t" + threads, "-c" + concurrency, "-d" + seconds + "s", "--latency",
                "-s", Path.of("bench/notifications.lua").toAbsolutePath().toString(), webhook.toString(), "--",
                bodies.toString(), String.valueOf(threads)).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Map<Integer, Double> percentiles = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s+(50|75|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$",
                java.util.regex.Pattern.MULTILINE).matcher(output);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2));
            percentiles.put(Integer.parseInt(m.group(1)), m.group(3).equals("us") ? value / 1000 : m.group(3).equals("s") ? value * 1000 : value);
        }
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("Latency\\s+\\S+\\s+\\S+\\s+([\\d.]+)(us|ms|s)").matcher(output);
        double maxMs = max.find() ? Double.parseDouble(max.group(1)) * (max.group(2).equals("us") ? 0.001 : max.group(2).equals("s") ? 1000 : 1) : -1;
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(output);
        int count = total.find() ? Integer.parseInt(total.group(1)) : 0;
        java.util.regex.Matcher non2xx = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
        java.util.regex.Matcher errors = java.util.regex.Pattern.compile("Socket errors: .*").matcher(output);
        int failures = (non2xx.find() ? Integer.parseInt(non2xx.group(1)) : 0) + (errors.find() ? 1 : 0);
        return new Result(count, count / (double) seconds, percentiles.getOrDefault(50, Double.NaN),
                percentiles.getOrDefault(99, Double.NaN), maxMs, failures);
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
        return Result.of(count, count / seconds, millis, failures.get());
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
        Result r = Result.of(millis.length, rate, millis, count - millis.length);
        System.out.printf("%n| notification → Odoo product (rate %d/s, %d listings) | p50 ms | p99 ms | max ms | missing |%n", rate, count);
        System.out.println("|---|---:|---:|---:|---:|");
        System.out.printf("| send → product readable in Odoo | %.0f | %.0f | %.0f | %d |%n", r.p50(), r.p99(), r.max(), r.failures());
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

    /** Where the time went, from the service's own metrics over the whole run. */
    private static void costs(ServiceProcess service) throws Exception {
        Map<String, Double> m = new HashMap<>();
        for (String line : service.get("/q/metrics").body().lines().toList()) {
            java.util.regex.Matcher r = java.util.regex.Pattern.compile(
                    "^(camel_route_policy_seconds|marketbridge_peer_requests_seconds)_(count|sum)\\{.*?(?:routeId=\"([^\"]+)\"|peer=\"odoo\").*\\} (\\S+)$")
                    .matcher(line);
            if (r.find() && !line.contains("outcome=\"io-error\"")) {
                String name = r.group(3) == null ? "odoo-call" : r.group(3);
                m.merge(name + "." + r.group(2), Double.parseDouble(r.group(4)), Double::sum);
            }
        }
        double listings = m.getOrDefault("odoo-product-from-ebay-listing.count", 0.0);
        System.out.printf("%n| cost over the run | count | mean ms |%n|---|---:|---:|%n");
        for (String name : List.of("ebay-platform-notification", "odoo-product-from-ebay-listing", "odoo-call")) {
            double count = m.getOrDefault(name + ".count", 0.0);
            System.out.printf("| %s | %.0f | %.2f |%n", name, count, count == 0 ? 0 : 1000 * m.getOrDefault(name + ".sum", 0.0) / count);
        }
        System.out.printf("%nOdoo calls per imported listing: %.2f%n", listings == 0 ? 0 : m.getOrDefault("odoo-call.count", 0.0) / listings);
        String metrics = service.get("/q/metrics").body();
        System.out.printf("Events accepted: %.0f, completed: %.0f (more completions than acceptances would mean reprocessing)%n",
                sum(metrics, "marketbridge_events_received_total{outcome=\"accepted\""), sum(metrics, "marketbridge_events_processed_total{"));
    }

    private static double sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Waits until the service has worked off its inbox, so one level's backlog does not slow the next. */
    private void waitForDrain(ServiceProcess service) throws Exception {
        long start = System.nanoTime();
        double backlog = inboxDepth(service);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(15));
        while (Instant.now().isBefore(deadline)) {
            if (inboxDepth(service) == 0) {
                double seconds = (System.nanoTime() - start) / 1e9;
                if (backlog > 0) {
                    System.out.printf("(backlog of %.0f events processed into Odoo in %.1f s: %.0f/s)%n", backlog, seconds, backlog / seconds);
                }
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the inbox did not drain within 15 minutes");
    }

    /** Pending plus in-flight inbox events, from the service's gauges. */
    private static double inboxDepth(ServiceProcess service) throws Exception {
        return service.get("/q/metrics").body().lines().filter(l -> l.startsWith("marketbridge_inbox_depth{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
