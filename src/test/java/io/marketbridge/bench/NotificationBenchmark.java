package io.marketbridge.bench;

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
 * Benchmark (run by bench/notifications.sh, not by the test suite): signed Platform Notifications
 * accepted per second with ack latency at several connection counts, each beside the bare endpoint
 * of the same process, then notification → Odoo latency at a steady rate. The packaged jar runs on
 * H2 or on an embedded PostgreSQL with production's durability, against its simulated Odoo or a real
 * one; the load comes from wrk and this separate process.
 */
public final class NotificationBenchmark {

    private static final int PORT = 28095;
    private static final String APP = "Marketbridge-Sandbox-APP", DEV = "marketbridge-sandbox-dev", CERT = "SBX-marketbridge-cert";
    private static final AtomicLong ITEM_IDS = new AtomicLong(200_000_000_000L + System.currentTimeMillis() % 1_000_000 * 1000);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI webhook = URI.create("http://localhost:" + PORT + "/webhooks/ebay/platform");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args, Map.ofEntries(Map.entry("db", "h2"), Map.entry("concurrency", "16,32,64"),
                Map.entry("warmup-seconds", "15"), Map.entry("e2e-rate", "20"), Map.entry("e2e-count", "300"), Map.entry("processing", "on"),
                Map.entry("service-jvm", ""), Map.entry("seconds", "10"), Map.entry("odoo-url", ""), Map.entry("odoo-api", "jsonrpc"),
                Map.entry("bare", "on"), Map.entry("breakdown", "on")));
        new NotificationBenchmark(options).run(options);
    }

    /**
     * Where the listings land: the process's simulated Odoo, or a real Odoo given by {@code --odoo-url},
     * {@code --odoo-database}, {@code --odoo-api-key} and {@code --odoo-api} (jsonrpc or json2).
     */
    private final BenchOdoo odoo;

    private NotificationBenchmark(Map<String, String> options) {
        this.odoo = options.get("odoo-url").isBlank() ? BenchOdoo.simulated("http://localhost:" + PORT + "/sandbox/odoo")
                : BenchOdoo.real(options.get("odoo-url"), options.get("odoo-database"), options.getOrDefault("odoo-username", "admin"),
                        options.get("odoo-api-key"), options.get("odoo-api"));
    }

    private void run(Map<String, String> options) throws Exception {
        String db = options.get("db");
        Path tmp = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "bench").toAbsolutePath();
        Map<String, String> env = Benchmarks.withSimulatedPeers(28796);
        boolean processing = !options.get("processing").equals("off");
        odoo.configure(env);
        boolean breakdown = !options.get("breakdown").equals("off") && !options.get("bare").equals("off");
        if (breakdown) {
            // the webhook's cut-down copies (bench/floors.yaml), timed beside it to show where its time goes
            env.merge("MARKETBRIDGE_ROUTES", ",file:" + Path.of("bench/floors.yaml").toAbsolutePath(), String::concat);
        }
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        if (!processing) {
            // acceptance alone: the dispatcher does not start, events stay in the inbox
            jvm.add("-Dcamel.main.autoStartupExcludePattern=inbox-dispatcher");
        }
        String serviceJvm = options.get("service-jvm");
        if (!serviceJvm.matches(".*-XX:\\+Use\\w+GC.*")) {
            jvm.add(Benchmarks.COLLECTOR); // unless --service-jvm names another: the JVM refuses two
        }
        if (!serviceJvm.isBlank()) {
            jvm.addAll(List.of(serviceJvm.split(" ")));
        }
        try (Benchmarks.Store store = Benchmarks.Store.open(db, tmp, env);
                ServiceProcess service = new ServiceProcess("bench-" + db, PORT, env).start(jvm.toArray(String[]::new))) {
            System.out.printf("%n## %s, processing %s, Odoo: %s (%d cores, %s)%n%n", store.description, processing ? "on" : "off",
                    odoo, Runtime.getRuntime().availableProcessors(), Instant.now());
            System.out.printf("Started in %d ms (launch to first live answer); resident memory after start %d MiB%n%n",
                    service.startUp().toMillis(), service.residentMiB());
            String levels = options.get("concurrency");
            if (!levels.equals("none")) {
                // JIT warm-up, not reported: the figures are the service's steady state. The notifications run
                // again after the bare endpoint's warm-up: that load re-profiles the shared HTTP code, and the
                // level measured first was, on these machines, up to 45 % slower than the same level measured later
                int warmup = Integer.parseInt(options.get("warmup-seconds"));
                wrk(webhook, 16, warmup, notificationsScript(webhook, tmp, warmup));
                if (!options.get("bare").equals("off")) {
                    wrk(URI.create(service.url("/q/health/live")), 16, 10, List.of());
                    wrk(webhook, 16, warmup, notificationsScript(webhook, tmp, warmup));
                }
                if (breakdown) {
                    for (URI floor : floors(service)) {
                        wrk(floor, 16, 5, notificationsScript(floor, tmp, 5));
                    }
                }
                if (processing) {
                    waitForDrain(service);
                }
                acceptance(service, levels, Integer.parseInt(options.get("seconds")), processing, !options.get("bare").equals("off"), breakdown,
                        tmp);
            }
            if (processing) {
                if (odoo.real()) {
                    odoo.bareCreates(20);
                }
                double rate = Double.parseDouble(options.get("e2e-rate"));
                int count = Integer.parseInt(options.get("e2e-count"));
                // the same trickle once unreported: JIT warm-up of the import, and the reads made once per run
                // (category path, stock location, server version); a real Odoo gets three listings of it, not all
                endToEnd(rate, odoo.real() ? Math.min(3, count) : count, false);
                endToEnd(rate, count, true);
                costs(service);
            }
        }
    }

    /**
     * For each level, the bare endpoint ({@code GET /q/health/live}) and then the notifications, each
     * for the same seconds at the same connections, so the ratio compares like with like on the same
     * machine at the same moment.
     */
    private void acceptance(ServiceProcess service, String levels, int seconds, boolean processing, boolean withBare, boolean breakdown,
            Path tmp) throws Exception {
        URI bareEndpoint = URI.create(service.url("/q/health/live"));
        System.out.println("| connections | accepted/s | ack p50 ms | ack p99 ms | ack max ms | non-2xx | stored | bare/s | bare p99 ms | of bare |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        long peakRss = 0;
        List<String> breakdownRows = new ArrayList<>();
        for (String level : levels.split(",")) {
            int connections = Integer.parseInt(level.trim());
            // --bare=off only to profile the notifications alone: the figures then have no reference
            Result bare = withBare ? wrk(bareEndpoint, connections, seconds, List.of()) : new Result(0, Double.NaN, 0, 0, 0, 0);
            double storedBefore = accepted(service);
            Result r = wrk(webhook, connections, seconds, notificationsScript(webhook, tmp, seconds));
            peakRss = Math.max(peakRss, service.residentMiB());
            System.out.printf("| %d | %.0f | %.1f | %.1f | %.1f | %d | %.0f | %.0f | %.1f | %.0f %% |%n", connections, r.perSecond,
                    r.p50(), r.p99(), r.max(), r.failures(), accepted(service) - storedBefore, bare.perSecond, bare.p99(),
                    100 * r.perSecond / bare.perSecond);
            if (processing) {
                waitForDrain(service);
            }
            if (breakdown) {
                StringBuilder row = new StringBuilder("| " + connections + " | " + rateAndP99(bare));
                for (URI floor : floors(service)) {
                    row.append(" | ").append(rateAndP99(wrk(floor, connections, seconds, notificationsScript(floor, tmp, seconds))));
                }
                breakdownRows.add(row.append(" | ").append(rateAndP99(r)).append(" |").toString());
            }
        }
        if (breakdown) {
            System.out.println("\nWhere the webhook's time goes: the same signed notifications, same seconds, same connections (rate/s, p99 ms):\n");
            System.out.println("| connections | bare endpoint | Camel REST route, answer only | + signature, SOAP parse, event JSON | + inbox commit (the webhook) |");
            System.out.println("|---:|---:|---:|---:|---:|");
            breakdownRows.forEach(System.out::println);
        }
        System.out.printf("%nResident memory under load (highest seen after a level): %d MiB%n", peakRss);
    }

    /** The wrk script posting unique, freshly signed notifications (wrk runs two threads at most). */
    private static List<String> notificationsScript(URI target, Path tmp, int seconds) throws Exception {
        return List.of("-s", Path.of("bench/notifications.lua").toAbsolutePath().toString(), target.toString(), "--",
                template(tmp).toString(), String.valueOf(ITEM_IDS.getAndAdd(100_000L * seconds)), "2");
    }

    /**
     * A freshly signed notification with {@code @ID@} for its item id, which wrk makes unique per
     * request (up to 100,000 a second; the Timestamp is the one part signed, and stays fresh for minutes).
     */
    private static Path template(Path tmp) throws Exception {
        return Files.writeString(tmp.resolve("notification.xml"), notification("W-@ID@"));
    }

    /** The webhook's cut-down copies in bench/floors.yaml: answer only, then verify and parse without storing. */
    private static List<URI> floors(ServiceProcess service) {
        return List.of(URI.create(service.url("/bench/ebay/platform/answer-only")), URI.create(service.url("/bench/ebay/platform/verify-only")));
    }

    private static String rateAndP99(Result r) {
        return String.format("%.0f / %.1f", r.perSecond, r.p99());
    }

    private static double accepted(ServiceProcess service) throws Exception {
        return sum(service.get("/q/metrics").body(), "marketbridge_events_received_total{outcome=\"accepted\",source=\"ebay\",type=\"ebay.ItemListed\"");
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
     * Load from wrk (a C load generator, so the load costs little of the two cores the service
     * shares with it): {@code connections} connections for {@code seconds}, closed loop.
     */
    private static Result wrk(URI target, int connections, int seconds, List<String> script) throws Exception {
        int threads = Math.min(2, connections);
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        command.addAll(script.isEmpty() ? List.of(target.toString()) : script);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes());
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Map<Integer, Double> percentiles = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s+(50|75|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$",
                java.util.regex.Pattern.MULTILINE).matcher(output);
        while (m.find()) {
            percentiles.put(Integer.parseInt(m.group(1)), millis(Double.parseDouble(m.group(2)), m.group(3)));
        }
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("Latency\\s+\\S+\\s+\\S+\\s+([\\d.]+)(us|ms|s)").matcher(output);
        double maxMs = max.find() ? millis(Double.parseDouble(max.group(1)), max.group(2)) : -1;
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("(\\d+) requests in").matcher(output);
        int count = total.find() ? Integer.parseInt(total.group(1)) : 0;
        java.util.regex.Matcher non2xx = java.util.regex.Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
        java.util.regex.Matcher errors = java.util.regex.Pattern.compile("Socket errors: .*").matcher(output);
        int failures = (non2xx.find() ? Integer.parseInt(non2xx.group(1)) : 0) + (errors.find() ? 1 : 0);
        return new Result(count, count / (double) seconds, percentiles.getOrDefault(50, Double.NaN),
                percentiles.getOrDefault(99, Double.NaN), maxMs, failures);
    }

    private static double millis(double value, String unit) {
        return unit.equals("us") ? value / 1000 : unit.equals("s") ? value * 1000 : value;
    }

    /**
     * A steady trickle; each product is watched for in Odoo twice: readable (it exists), and complete
     * (the listing's price, category path and on-hand quantity all there).
     */
    private void endToEnd(double rate, int count, boolean report) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Double> readable = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Double> complete = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> {
            while (complete.size() < count && !Thread.currentThread().isInterrupted()) {
                try {
                    List<String> pending = new ArrayList<>(sentAt.keySet());
                    if (!pending.isEmpty()) {
                        for (com.fasterxml.jackson.databind.JsonNode row : odoo.products(pending)) {
                            String sku = row.path("default_code").asText();
                            Long sent = sentAt.get(sku);
                            double millis = sent == null ? 0 : (System.nanoTime() - sent) / 1e6;
                            if (sent != null && seen.add(sku)) {
                                readable.add(millis);
                            }
                            if (sent != null && row.path("qty_available").asDouble() == 5 && Math.abs(row.path("list_price").asDouble() - 19.99) < 0.005 // Odoo 17 answers 19.990000000000002
                                    && row.path("categ_id").path(1).asText().endsWith("Cameras & Photo / Digital Cameras")) {
                                complete.add(millis);
                                sentAt.remove(sku);
                            }
                        }
                    }
                    Thread.sleep(odoo.real() ? 50 : 10); // a real Odoo serves the watching too: not more than 20 looks a second
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // keep watching
                }
            }
        });
        watcher.start();
        long interval = (long) (1e9 / rate);
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
        if (!report) {
            return;
        }
        System.out.printf("%n| notification → Odoo (rate %s/s, %d listings) | p50 ms | p99 ms | max ms | missing |%n", rate, count);
        System.out.println("|---|---:|---:|---:|---:|");
        for (var milestone : List.of(Map.entry("product readable", readable), Map.entry("price, category path, on hand all there", complete))) {
            double[] millis = milestone.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            Result r = Result.of(millis.length, rate, millis, count - millis.length);
            System.out.printf("| send → %s | %.0f | %.0f | %.0f | %d |%n", milestone.getKey(), r.p50(), r.p99(), r.max(), r.failures());
        }
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
