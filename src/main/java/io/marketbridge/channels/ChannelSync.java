package io.marketbridge.channels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.channels.CatalogSource.Variant;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Odoo → channels: routes variants to the channels that carry them (the rules in
 * routes/channels.yaml), applies each channel's safety stock, pushes only what differs from what
 * the channel last accepted (or, when reconciling, everything) in the channel's batch size, and
 * records the outcome per item: accepted into channel state, refused into dead letters with the
 * channel's reason, worth retrying into the inbox.
 */
@Singleton
@Named("channelSync")
public class ChannelSync {

    static final String PUSH_ITEM = "channel.PushItem";
    static final String RECORDS_CHANGED = "odoo.RecordsChanged";
    /** What the routing rules read: the variant's SKU, its published flag, the channels the seller lists it on. */
    static final String ROUTING_SKU = "sku";
    static final String ROUTING_PUBLISHED = "published";
    static final String ROUTING_LISTED_ON = "listedOn";
    /** What the routing rules set to carry the variant on a channel: {@code carry.<channel>} = true. */
    static final String ROUTING_CARRY = "carry.";
    private static final int WITHDRAW_PAGE = 500;
    private static final int BLIP_ATTEMPTS = 3;
    private static final Duration BLIP_WAIT_LIMIT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(ChannelSync.class);

    /** What one sync did for one channel. */
    @RegisterForReflection
    public record Totals(int considered, int pushed, int accepted, int retried, int rejected, int calls) {
        static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0);

        Totals plus(Totals other) {
            return new Totals(considered + other.considered, pushed + other.pushed, accepted + other.accepted,
                    retried + other.retried, rejected + other.rejected, calls + other.calls);
        }
    }

    private final Map<String, ChannelConnector> connectors = new LinkedHashMap<>();
    private final CatalogSource catalog;
    private final ChannelState state;
    private final Inbox inbox;
    private final ProducerTemplate camel;
    private volatile Endpoint routing;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Map<String, Integer> safetyStock;
    private final int batchesInFlight;
    /** Channel calls in flight and full-sync page reads ahead; bounded by their callers, so never starved. */
    private final ExecutorService workers = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "channel-sync-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    ChannelSync(Instance<ChannelConnector> connectors, CatalogSource catalog,
            ChannelState state, Inbox inbox, ProducerTemplate camel, ObjectMapper json, MeterRegistry metrics,
            MarketbridgeConfig config) {
        connectors.forEach(connector -> this.connectors.put(connector.channel(), connector));
        this.catalog = catalog;
        this.state = state;
        this.inbox = inbox;
        this.camel = camel;
        this.json = json;
        this.metrics = metrics;
        this.safetyStock = config.channels().safetyStock();
        this.batchesInFlight = Math.max(1, config.channels().batchesInFlight());
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Where full syncs read ahead and push channels side by side. */
    ExecutorService workers() {
        return workers;
    }

    /** The channels this service can push to, enabled or not. */
    public Set<String> channels() {
        return connectors.keySet();
    }

    public ChannelConnector connector(String channel) {
        ChannelConnector connector = connectors.get(channel);
        if (connector == null) {
            throw new IllegalArgumentException("unknown channel " + channel + "; one of " + connectors.keySet());
        }
        return connector;
    }

    // --- routing ------------------------------------------------------------------------------

    /**
     * Per channel, the variants its routing rule gives it, with the channel's safety stock held back.
     * The rules (route {@code channel-routing}) get each variant as the body and the facts they
     * usually ask as headers, which cost a map lookup where a method call on the body costs a bean
     * invocation: on a 100,000-SKU reconciliation the rules run 100,000 times.
     */
    public Map<String, List<CatalogItem>> route(List<Variant> variants) throws SQLException {
        // only sellable variants have a SKU to ask the channels about
        Map<String, Set<String>> listedOn = listedOn(variants.stream().filter(Variant::sellable).map(v -> v.item().sku()).toList());
        Map<String, List<CatalogItem>> routed = new TreeMap<>();
        for (Variant variant : variants) {
            if (!variant.sellable()) {
                continue; // archived, not for sale or without a SKU: no channel carries it
            }
            Exchange decided = camel.send(routing(), exchange -> {
                Message message = exchange.getMessage();
                message.setBody(variant.item());
                message.setHeader(ROUTING_SKU, variant.item().sku());
                message.setHeader(ROUTING_PUBLISHED, variant.published());
                message.setHeader(ROUTING_LISTED_ON, listedOn.getOrDefault(variant.item().sku(), Set.of()));
            });
            if (decided.getException() != null) {
                throw new IllegalStateException("the channel routing rules (route channel-routing) failed for SKU "
                        + variant.item().sku() + ": " + decided.getException().getMessage(), decided.getException());
            }
            for (String channel : connectors.keySet()) {
                if (decided.getMessage().getHeader(ROUTING_CARRY + channel, false, Boolean.class)) {
                    routed.computeIfAbsent(channel, c -> new ArrayList<>()).add(withSafetyStock(channel, variant.item()));
                }
            }
        }
        return routed;
    }

    /** Resolved once: resolving a URI per variant normalises it each time. */
    private Endpoint routing() {
        Endpoint endpoint = routing;
        if (endpoint == null) {
            routing = endpoint = camel.getCamelContext().getEndpoint("direct:channel-routing");
        }
        return endpoint;
    }

    /** A full sync's first step: the channel's own preparation (eBay learns which SKUs the seller lists there). */
    public void prepareFullSync(String channel, BooleanSupplier cancelled) {
        ChannelConnector connector = connector(channel);
        if (connector.enabled()) {
            connector.prepareFullSync(workers, batchesInFlight * 2, cancelled);
        }
    }

    /** On hand minus the channel's buffer against overselling, never below zero. */
    CatalogItem withSafetyStock(String channel, CatalogItem item) {
        int buffer = safetyStock.getOrDefault(channel, 0);
        return buffer == 0 ? item : item.withQuantity(Math.max(0, item.quantity() - buffer));
    }

    /**
     * Per channel, what it gets from these variants: those its routing rule gives it (safety stock
     * held back), and those it no longer carries but still shows with stock, withdrawn.
     */
    Map<String, List<CatalogItem>> itemsPerChannel(List<Variant> variants) throws SQLException {
        Map<String, List<CatalogItem>> items = route(variants);
        for (String channel : channels()) {
            List<CatalogItem> withdrawn = withdrawals(channel, variants, items.getOrDefault(channel, List.of()));
            if (!withdrawn.isEmpty()) {
                items.computeIfAbsent(channel, c -> new ArrayList<>()).addAll(withdrawn);
            }
        }
        return items;
    }

    /**
     * Variants the channel holds with stock (its channel state) but no longer carries: archived, not for
     * sale, unpublished or no longer listed there. They go out at quantity 0, so nothing is sold that Odoo
     * does not sell; the listing itself stays for a person to end.
     */
    private List<CatalogItem> withdrawals(String channel, List<Variant> variants, List<CatalogItem> carried) throws SQLException {
        Set<String> carriedSkus = new HashSet<>();
        carried.forEach(item -> carriedSkus.add(item.sku()));
        List<CatalogItem> others = variants.stream().map(Variant::item).filter(item -> item.sku() != null && !carriedSkus.contains(item.sku()))
                .toList();
        if (others.isEmpty()) {
            return List.of();
        }
        Map<String, ChannelState.Accepted> held = state.get(channel, others.stream().map(CatalogItem::sku).toList());
        held.values().removeIf(accepted -> accepted.quantity() == 0);
        Set<String> shown = held.isEmpty() ? Set.of() : connector(channel).knownToShow(held.keySet());
        return others.stream().filter(item -> shown.contains(item.sku())).map(item -> item.withQuantity(0)).toList();
    }

    /**
     * After a full sync of {@code channel} re-asserted everything it carries: what it still shows with
     * stock but was not re-asserted since {@code since} is no longer carried, and is withdrawn.
     */
    public Totals withdrawNotCarried(String channel, Instant since, BooleanSupplier cancelled) throws SQLException {
        Totals[] totals = {Totals.NONE};
        forEachNotCarried(channel, since, cancelled, withdrawn -> totals[0] = totals[0].plus(push(channel, withdrawn, false, cancelled)));
        return totals[0];
    }

    /** For a dry run: what the real run's {@link #withdrawNotCarried} would withdraw, every SKU the channel shows with stock checked. */
    public void planWithdrawals(String channel, BooleanSupplier cancelled, Consumer<List<PlanEntry>> planned) throws SQLException {
        forEachNotCarried(channel, Instant.now(), cancelled, withdrawn -> planned.accept(plan(channel, withdrawn, false).stream()
                .map(entry -> new PlanEntry("WITHDRAW", entry.product(), entry.skus(), entry.differences())).toList()));
    }

    /** What a page of withdrawals is handed to. */
    private interface Withdrawals {
        void accept(List<CatalogItem> withdrawn) throws SQLException;
    }

    /**
     * The SKUs the channel shows with stock and that were last pushed before {@code since}, read back from
     * Odoo a page at a time (archived ones included): those the channel no longer carries, at quantity 0.
     * A SKU Odoo no longer has at all is left as it is, and logged.
     */
    private void forEachNotCarried(String channel, Instant since, BooleanSupplier cancelled, Withdrawals withdrawals) throws SQLException {
        String after = "";
        while (!cancelled.getAsBoolean()) {
            List<String> skus = state.heldNotPushedSince(channel, since, after, WITHDRAW_PAGE);
            if (skus.isEmpty()) {
                return;
            }
            after = skus.get(skus.size() - 1);
            List<Variant> variants = catalog.variantsBySku(skus);
            Set<String> inOdoo = new HashSet<>();
            variants.forEach(variant -> inOdoo.add(variant.item().sku()));
            List<String> gone = skus.stream().filter(sku -> !inOdoo.contains(sku)).toList();
            if (!gone.isEmpty()) { // one line per page, not per SKU: a deleted range would flood the log every night
                LOG.warnf("%s still shows %d SKUs with stock that Odoo has no product for any more, left as they are: %s", channel,
                        gone.size(), gone.size() <= 10 ? gone : gone.subList(0, 10) + " and more");
            }
            List<CatalogItem> withdrawn = withdrawals(channel, variants, route(variants).getOrDefault(channel, List.of()));
            if (!withdrawn.isEmpty()) {
                withdrawals.accept(withdrawn);
            }
        }
    }

    /** SKU → the channels that say the seller lists it there themselves. */
    private Map<String, Set<String>> listedOn(List<String> skus) throws SQLException {
        Map<String, Set<String>> listedOn = new HashMap<>();
        for (ChannelConnector connector : connectors.values()) {
            for (String sku : connector.listedHere(skus)) {
                listedOn.computeIfAbsent(sku, k -> new HashSet<>()).add(connector.channel());
            }
        }
        return listedOn;
    }

    // --- pushing ------------------------------------------------------------------------------

    /**
     * Pushes {@code items} to {@code channel}: those that differ from what it last accepted, or all
     * of them when {@code reassert} (reconciliation), a batch per call, up to
     * {@code marketbridge.channels.batches-in-flight} calls at once. A failure of a whole call is
     * thrown once the calls in flight are done ({@link TransientFailure}: the caller retries; what
     * was accepted is already recorded).
     */
    public Totals push(String channel, List<CatalogItem> items, boolean reassert, BooleanSupplier cancelled) throws SQLException {
        ChannelConnector connector = connector(channel);
        if (!connector.enabled() || items.isEmpty()) {
            return Totals.NONE;
        }
        Map<String, ChannelState.Accepted> known = state.get(channel, items.stream().map(CatalogItem::sku).toList());
        List<CatalogItem> due = reassert ? items : items.stream().filter(item -> !differences(item, known.get(item.sku())).isEmpty()).toList();
        Semaphore inFlight = new Semaphore(batchesInFlight);
        List<Future<Totals>> calls = new ArrayList<>();
        for (List<CatalogItem> batch : connector.batches(due)) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            inFlight.acquireUninterruptibly();
            if (calls.stream().anyMatch(call -> call.isDone() && failed(call))) {
                inFlight.release();
                break; // the channel refuses whole calls: the batches not sent yet wait for the retry
            }
            calls.add(workers.submit(() -> {
                try {
                    return pushBatch(connector, batch);
                } finally {
                    inFlight.release();
                }
            }));
        }
        Totals totals = Totals.NONE;
        RuntimeException failure = null;
        for (Future<Totals> call : calls) {
            try {
                totals = totals.plus(join(call));
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        metrics.counter("marketbridge.channel.pushed", "channel", channel, "outcome", "accepted").increment(totals.accepted());
        metrics.counter("marketbridge.channel.pushed", "channel", channel, "outcome", "retry").increment(totals.retried());
        metrics.counter("marketbridge.channel.pushed", "channel", channel, "outcome", "rejected").increment(totals.rejected());
        metrics.counter("marketbridge.channel.calls", "channel", channel).increment(totals.calls());
        if (failure != null) {
            throw failure;
        }
        return new Totals(items.size(), totals.pushed(), totals.accepted(), totals.retried(), totals.rejected(), totals.calls());
    }

    /** One call to the channel, and every item's outcome recorded: accepted into state, refused into dead letters, retry into the inbox. */
    private Totals pushBatch(ChannelConnector connector, List<CatalogItem> batch) throws SQLException {
        String channel = connector.channel();
        List<PushResult> results = pushRetryingBlips(connector, batch);
        Map<String, CatalogItem> bySku = new LinkedHashMap<>();
        batch.forEach(item -> bySku.put(item.sku(), item));
        List<CatalogItem> ok = new ArrayList<>();
        List<InboundEvent> retries = new ArrayList<>();
        int rejected = 0;
        for (PushResult result : results) {
            CatalogItem item = bySku.remove(result.sku());
            if (item == null) {
                continue;
            }
            switch (result.outcome()) {
                case ACCEPTED -> ok.add(item);
                case RETRY -> retries.add(pushItemEvent(channel, item, result.reason()));
                case REJECTED -> {
                    rejected++;
                    inbox.offerRejected(pushItemEvent(channel, item, result.reason()), "channel-push-item",
                            channel + " refused " + item.sku() + ": " + result.reason());
                }
            }
        }
        bySku.values().forEach(item -> retries.add(pushItemEvent(channel, item, "no result for this SKU in the channel's answer")));
        state.recordAccepted(channel, ok);
        inbox.offerAll(retries);
        return new Totals(batch.size(), batch.size(), ok.size(), retries.size(), rejected, 1);
    }

    /**
     * One call, sent again after a second or two when the channel blips (5xx, a dropped connection,
     * a short Retry-After), so one hiccup does not fail a whole reconciliation. A longer wait (a quota
     * exhausted until its reset) is the caller's to schedule.
     */
    private static List<PushResult> pushRetryingBlips(ChannelConnector connector, List<CatalogItem> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return connector.push(batch);
            } catch (TransientFailure blip) {
                Duration wait = blip.retryAfter().orElse(Duration.ofSeconds(attempt));
                if (attempt >= BLIP_ATTEMPTS || wait.compareTo(BLIP_WAIT_LIMIT) > 0) {
                    throw blip;
                }
                LOG.debugf("%s call failed (%s); sending it again in %s", connector.channel(), blip.getMessage(), wait);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw blip;
                }
            }
        }
    }

    private static boolean failed(Future<?> call) {
        try {
            call.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The task's result, its failure rethrown as it was (checked ones wrapped). */
    static <T> T join(Future<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a channel push", e);
        }
    }

    /**
     * What {@link #push} would do: as the channel itself sees it where it can tell
     * ({@link ChannelConnector#planOnChannel}), else per SKU against what the channel last accepted.
     */
    public List<PlanEntry> plan(String channel, List<CatalogItem> items, boolean reassert) throws SQLException {
        ChannelConnector connector = connector(channel);
        if (!connector.enabled() || items.isEmpty()) {
            return List.of();
        }
        Optional<List<PlanEntry>> onChannel = connector.planOnChannel(items);
        if (onChannel.isPresent()) {
            return onChannel.get();
        }
        Map<String, ChannelState.Accepted> known = state.get(channel, items.stream().map(CatalogItem::sku).toList());
        List<PlanEntry> plan = new ArrayList<>();
        for (CatalogItem item : items) {
            ChannelState.Accepted accepted = known.get(item.sku());
            List<String> differences = differences(item, accepted);
            String action = accepted == null ? "CREATE" : !differences.isEmpty() ? "UPDATE" : reassert ? "REASSERT" : null;
            if (action != null) {
                plan.add(new PlanEntry(action, item.sku(), List.of(item.sku()), differences));
            }
        }
        return plan;
    }

    static List<String> differences(CatalogItem item, ChannelState.Accepted accepted) {
        if (accepted == null) {
            return List.of("price " + money(item.price()), "quantity " + item.quantity());
        }
        List<String> differences = new ArrayList<>();
        if (accepted.price().compareTo(item.price()) != 0) {
            differences.add("price " + money(accepted.price()) + " -> " + money(item.price()));
        }
        if (accepted.quantity() != item.quantity()) {
            differences.add("quantity " + accepted.quantity() + " -> " + item.quantity());
        }
        if (!Objects.equals(accepted.contentHash(), ChannelState.contentHash(item))) {
            differences.add("content");
        }
        return differences;
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private InboundEvent pushItemEvent(String channel, CatalogItem item, String reason) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("channel", channel);
        payload.put("productId", item.productId());
        payload.put("sku", item.sku());
        payload.put("reason", reason);
        String values = ChannelState.contentHash(item).substring(0, 16) + ":" + item.price().toPlainString() + ":" + item.quantity();
        return new InboundEvent("odoo", "channel:" + channel + ":" + item.sku() + ":" + values, PUSH_ITEM, write(payload));
    }

    // --- inbox flows --------------------------------------------------------------------------

    /**
     * {@code odoo.RecordsChanged}: the named products, templates or stock quants changed; every channel gets them now, each
     * on its own. A channel that fails as a whole (down, or refusing the call without naming an item) never holds the others
     * back: their pushes are done and counted, and the failed channel's part becomes an event of its own, for that channel
     * only ({@link #channelPart}): retried later when the failure is transient, a dead letter (replayable, replaying only
     * that channel's items) when it is permanent. An event naming a {@code channel} (such a part, or its replay) pushes to
     * that channel alone, and fails as a whole.
     */
    public void syncChangedRecords(InboxEvent event) throws SQLException {
        JsonNode payload = read(event);
        List<Long> ids = new ArrayList<>();
        payload.path("ids").forEach(id -> ids.add(id.asLong()));
        Set<Long> productIds = catalog.productIdsOf(payload.path("model").asText(), ids);
        if (productIds.isEmpty()) {
            return;
        }
        Map<String, List<CatalogItem>> routed = itemsPerChannel(catalog.variantsInAnyState(productIds));
        String only = payload.path("channel").asText("");
        if (!only.isEmpty()) {
            push(only, routed.getOrDefault(only, List.of()), false, () -> false);
            return;
        }
        Map<String, Future<Totals>> pushes = new LinkedHashMap<>();
        for (String channel : channels()) {
            List<CatalogItem> items = routed.getOrDefault(channel, List.of());
            if (!items.isEmpty() && connector(channel).enabled()) {
                pushes.put(channel, workers.submit(() -> push(channel, items, false, () -> false)));
            }
        }
        for (Map.Entry<String, Future<Totals>> push : pushes.entrySet()) {
            String channel = push.getKey();
            try {
                join(push.getValue());
            } catch (TransientFailure | PermanentFailure failure) {
                channelFailed(event, channel, routed.get(channel), failure);
            }
        }
    }

    /**
     * What a channel that failed as a whole still owes: its items' products as an event for that channel alone, stored
     * before the change event is done, so nothing is lost. Its key follows from the change event's, so handling that
     * event again stores it once.
     */
    private void channelFailed(InboxEvent event, String channel, List<CatalogItem> items, RuntimeException failure) throws SQLException {
        InboundEvent part = channelPart(event.key(), channel, items);
        metrics.counter("marketbridge.channel.failed", "channel", channel,
                "class", failure instanceof PermanentFailure ? "permanent" : "transient").increment();
        if (failure instanceof PermanentFailure) {
            inbox.offerRejected(part, "channel-sync-changes", channel + " refused the whole push of " + items.size() + " items: "
                    + failure.getMessage());
        } else {
            LOG.warnf("%s failed on a push of %d changed items (%s); the other channels are done, %s's part is retried on its own",
                    channel, items.size(), failure.getMessage(), channel);
            inbox.offerAll(List.of(part));
        }
    }

    /** The products behind {@code items} changed, for {@code channel} alone. */
    InboundEvent channelPart(String key, String channel, List<CatalogItem> items) {
        Set<Long> products = new TreeSet<>();
        items.forEach(item -> products.add(item.productId()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("model", "product.product");
        payload.put("ids", List.copyOf(products));
        payload.put("channel", channel);
        return new InboundEvent("odoo", key + ":" + channel, RECORDS_CHANGED, write(payload));
    }

    /** {@code channel.PushItem}: one item a channel asked to retry (or a replayed refusal), read fresh from Odoo. */
    public void pushItem(InboxEvent event) throws SQLException {
        JsonNode payload = read(event);
        String channel = payload.path("channel").asText();
        ChannelConnector connector = connector(channel);
        if (!connector.enabled()) {
            return;
        }
        if (!payload.path("sku").asText("").isBlank()) {
            connector.beforeRetry(payload.path("sku").asText());
        }
        List<Variant> variants = catalog.variantsInAnyState(List.of(payload.path("productId").asLong()));
        List<CatalogItem> items = itemsPerChannel(variants).getOrDefault(channel, List.of());
        if (items.isEmpty()) {
            return; // neither sold nor shown there any more, or no longer in Odoo: nothing to push
        }
        CatalogItem item = items.get(0);
        PushResult result = connector.push(List.of(item)).stream().filter(r -> r.sku().equals(item.sku())).findFirst()
                .orElse(PushResult.retry(item.sku(), "no result for this SKU in the channel's answer"));
        switch (result.outcome()) {
            case ACCEPTED -> state.recordAccepted(channel, List.of(item));
            case RETRY -> throw new TransientFailure(channel, channel + " asks to retry " + item.sku() + ": " + result.reason(), null);
            case REJECTED -> throw new PermanentFailure(channel, channel + " refused " + item.sku() + ": " + result.reason());
        }
    }

    /** An inbox event naming changed Odoo records. */
    public InboundEvent recordsChanged(String key, String model, Collection<Long> ids) {
        return new InboundEvent("odoo", key, RECORDS_CHANGED, write(Map.of("model", model, "ids", List.copyOf(ids))));
    }

    private JsonNode read(InboxEvent event) {
        try {
            return json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure("odoo", "unreadable " + event.type() + " event " + event.key() + ": " + e.getMessage());
        }
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
