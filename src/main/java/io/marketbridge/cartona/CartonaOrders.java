package io.marketbridge.cartona;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.model.OrderProgress;
import io.marketbridge.pipeline.Decision;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.RejectedInput;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Cartona orders in and out of the inbox (routes/cartona-orders.yaml): a webhook delivery or a pulled page becomes
 * one {@code cartona.Order} event per order and state, keyed so that the same order delivered by both at once is
 * stored once; the flow reads it back as a {@link ChannelOrder}; once Odoo has the order, Cartona is told
 * {@code synced}, once.
 */
@Singleton
@Named("cartonaOrders")
public class CartonaOrders {

    public static final String TYPE = "cartona.Order";
    /** The exchange property a route sets to the statuses {@link #sendStatuses} sends, comma-separated, in order. */
    public static final String STATUSES = "cartonaStatuses";
    /** The exchange property a route sets to the reason a {@code cancelled_by_supplier} carries. */
    public static final String CANCELLATION_REASON = "cartonaCancellationReason";
    /** The exchange property {@link #sendStatuses} and {@link #sendDetails} leave: what Cartona took now (empty: nothing). */
    public static final String TOLD = "cartonaTold";
    /** Statuses after which Cartona's order is closed: nothing more is sent. */
    private static final Set<String> FINAL = Set.of("delivered", "cancelled_by_supplier", "cancelled_by_retailer", "returned");
    private static final Logger LOG = Logger.getLogger(CartonaOrders.class);
    private static final int MAX_ORDERS_PER_DELIVERY = 500;

    private final CartonaApi api;
    private final CartonaOrderStatuses statuses;
    private final CartonaOrderLines lines;
    private final CartonaConfig settings;
    private final ObjectMapper json;

    CartonaOrders(CartonaApi api, CartonaOrderStatuses statuses, CartonaOrderLines lines, CartonaConfig config, ObjectMapper json) {
        this.api = api;
        this.statuses = statuses;
        this.lines = lines;
        this.settings = config;
        this.json = json;
    }

    /**
     * {@code POST /webhooks/cartona/orders}: one order, an array of them, or {@code {"orders":[...]}}, from the account
     * whose webhook secret is presented (in the configured auth header, or {@code Authorization: Bearer}). A wrong or
     * missing secret is 401 and a malformed order 400 with every problem named; either way nothing is stored. UNCONFIRMED:
     * Cartona documents no webhook; this shape is the pull's.
     */
    public List<InboundEvent> receiveWebhook(Exchange exchange) {
        CartonaAccount account = webhookAccount(exchange);
        JsonNode body = RejectedInput.jsonBody(json, exchange);
        JsonNode orders = body != null && body.isObject() && body.has("orders") ? body.get("orders") : body;
        List<JsonNode> list = new ArrayList<>();
        if (orders != null && orders.isArray()) {
            orders.forEach(list::add);
        } else if (orders != null && orders.isObject()) {
            list.add(orders);
        }
        if (list.isEmpty() || list.size() > MAX_ORDERS_PER_DELIVERY) {
            throw new RejectedInput(400, "expected an order, an array of 1 to " + MAX_ORDERS_PER_DELIVERY + " orders, or {\"orders\":[...]}");
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = list.size() == 1 ? "" : "order " + i + ": ";
            CartonaOrderMapper.problems(list.get(i), settings.productKey()).forEach(p -> problems.add(where + p));
        }
        if (!problems.isEmpty()) {
            throw new RejectedInput(400, String.join("; ", problems));
        }
        return list.stream().map(order -> event(account, order)).toList();
    }

    private CartonaAccount webhookAccount(Exchange exchange) {
        String given = exchange.getMessage().getHeader(settings.authHeader(), String.class);
        String bearer = exchange.getMessage().getHeader("Authorization", String.class);
        if (given == null && bearer != null) {
            given = bearer.replaceFirst("^(?i)Bearer\\s+", "");
        }
        Optional<CartonaAccount> account = Optional.empty();
        if (given != null) {
            byte[] presented = given.getBytes(StandardCharsets.UTF_8);
            for (CartonaAccount candidate : api.accounts()) {
                // every secret is compared, in constant time: the answer's timing says nothing about which one is close
                if (candidate.webhookSecret().filter(secret -> MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), presented))
                        .isPresent()) {
                    account = Optional.of(candidate);
                }
            }
        }
        if (api.accounts().stream().noneMatch(a -> a.webhookSecret().isPresent())) {
            throw new RejectedInput(503, "no Cartona account has a webhook secret (marketbridge.cartona.webhook-secret,"
                    + " marketbridge.cartona.accounts.<name>.webhook-secret): Cartona order webhooks are off");
        }
        return account.orElseThrow(() -> new RejectedInput(401, "the webhook secret (" + settings.authHeader()
                + " header, or Authorization: Bearer) is missing or is no Cartona account's"));
    }

    /**
     * One inbox event per order and state: the account, the order id, its status and a digest of its lines, so the same
     * order pulled and pushed at once is stored once, and a change of status or lines (an edit) is a new event.
     */
    InboundEvent event(CartonaAccount account, JsonNode order) {
        TreeSet<String> lines = new TreeSet<>();
        order.path("order_details").forEach(line -> lines.add(line.path("internal_product_id").asText() + "x" + line.path("amount").asText()
                + "@" + line.path("selling_price").asText()));
        String hashedId = order.path("hashed_id").asText();
        String key = "cartona:" + account.name() + ":order:" + hashedId + ":" + order.path("status").asText() + ":"
                + Digests.sha256Hex(String.join(",", lines)).substring(0, 16);
        ObjectNode payload = json.createObjectNode().put("account", account.name());
        payload.set("order", order);
        return new InboundEvent(CartonaApi.PEER, key, TYPE, payload.toString(),
                "cartona-retailer:" + order.path("retailer").path("retailer_code").asText());
    }

    /** The order an event holds, as the Odoo sale-order writer takes it. */
    public ChannelOrder fromEvent(InboxEvent event) {
        JsonNode payload;
        try {
            payload = json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure(CartonaApi.PEER, "unreadable order event " + event.key() + ": " + e.getMessage(), e);
        }
        String account = api.account(payload.path("account").asText()).name();
        List<String> problems = CartonaOrderMapper.problems(payload.path("order"), settings.productKey());
        if (!problems.isEmpty()) {
            throw new PermanentFailure(CartonaApi.PEER, "Cartona order " + payload.path("order").path("hashed_id").asText("?") + ": "
                    + String.join("; ", problems));
        }
        return CartonaOrderMapper.toChannelOrder(payload.path("order"), account, settings.productKey());
    }

    /**
     * Records the status Cartona reports for the order, before Odoo is changed by it: it is never sent back, and when it
     * is final (cancelled, returned, delivered) nothing more is sent for the order.
     */
    public void recordReported(ChannelOrder order) throws SQLException {
        CartonaAccount account = api.account(order.account());
        statuses.record(account, order.orderId(), order.status());
        Map<String, Integer> pieces = new TreeMap<>();
        order.lines().forEach(line -> pieces.merge(line.odooProductId() != null ? String.valueOf(line.odooProductId()) : line.sku(),
                line.quantity(), Integer::sum));
        lines.record(account, order.orderId(), pieces);
    }

    /** Tells Cartona the order is in Odoo ({@code synced}), so its pull stops offering it; once per order. */
    public void acknowledge(ChannelOrder order) throws SQLException {
        CartonaAccount account = api.account(order.account());
        if (!statuses.sent(account, order.orderId(), "synced")) {
            post(account, order.orderId(), "synced", null);
        }
    }

    /**
     * Sends Cartona the route's statuses for how far Odoo took the order, in order, each once: {@code
     * approved,assigned_to_salesman,delivered} brings an order Cartona still has as pending to delivered. Nothing is sent
     * once Cartona has the order as delivered, cancelled or returned. {@code cancelled_by_supplier} carries the reason.
     */
    public void sendStatuses(OrderProgress progress, @ExchangeProperty(STATUSES) String statusList,
            @ExchangeProperty(CANCELLATION_REASON) String reason, Exchange exchange) throws SQLException {
        CartonaOrderStatuses.Known known = statuses.of(progress.orderId());
        CartonaAccount account = api.account(known.account().orElseThrow(() -> new PermanentFailure(CartonaApi.PEER, "Odoo sale order "
                + progress.saleOrderId() + " names Cartona order " + progress.orderId() + ", which this service never took in from Cartona")));
        List<String> sent = new ArrayList<>();
        if (known.statuses().stream().anyMatch(FINAL::contains)) {
            LOG.debugf("Cartona order %s is closed there (%s): Odoo's %s is not sent", progress.orderId(), known.statuses(), progress.stage());
        } else {
            for (String status : statusList.split("\\s*,\\s*")) {
                // what Cartona has was read above: no second look per status
                if (!status.isBlank() && !known.statuses().contains(status)) {
                    try {
                        post(account, progress.orderId(), status, status.equals("cancelled_by_supplier") ? reason : null);
                    } catch (PermanentFailure refused) {
                        throw refusedStatus(refused, progress, status);
                    }
                    sent.add(status);
                }
            }
        }
        tell(exchange, String.join(", ", sent));
    }

    /**
     * Sends Cartona the quantities a person changed in Odoo ({@code order/update-order-details}): for each product Cartona
     * has on the order, Odoo's quantity when it differs (0: the line is cancelled). Products added in Odoo are not
     * Cartona's to take and are left out. Nothing is sent for an order Cartona has closed, nor when Odoo's lines are what
     * Cartona has (an edit that came from Cartona). UNCONFIRMED: the body's shape, from Cartona's own Odoo module notes.
     */
    public void sendDetails(OrderProgress progress, Exchange exchange) throws SQLException {
        CartonaOrderStatuses.Known known = statuses.of(progress.orderId());
        if (known.account().isEmpty() || known.statuses().stream().anyMatch(FINAL::contains) || "cancelled".equals(progress.stage())) {
            return;
        }
        CartonaAccount account = api.account(known.account().get());
        Optional<Map<String, Integer>> onCartona = lines.of(account, progress.orderId());
        if (onCartona.isEmpty()) {
            return;
        }
        Map<String, Integer> inOdoo = new TreeMap<>();
        for (OrderProgress.Line line : progress.lines()) {
            String key = settings.productKey() == CartonaConfig.ProductKey.ODOO_VARIANT_ID ? String.valueOf(line.productId()) : line.sku();
            if (key != null) {
                inOdoo.merge(key, line.quantity().intValue(), Integer::sum);
            }
        }
        List<Map<String, Object>> details = new ArrayList<>();
        Map<String, Integer> now = new TreeMap<>(onCartona.get());
        onCartona.get().forEach((product, amount) -> {
            int odoo = inOdoo.getOrDefault(product, 0);
            if (odoo != amount) {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("internal_product_id", product);
                detail.put("amount", odoo);
                if (odoo == 0) {
                    detail.put("cancelled", true);
                }
                details.add(detail);
                now.put(product, odoo);
            }
        });
        if (details.isEmpty()) {
            return;
        }
        api.post(account, settings.orders().detailsPath(), List.of(Map.of("hashed_id", progress.orderId(), "order_details", details)),
                "quantities of order " + progress.orderId());
        lines.record(account, progress.orderId(), now);
        tell(exchange, "quantities " + String.join(", ", details.stream().map(d -> d.get("internal_product_id") + " → "
                + (Boolean.TRUE.equals(d.get("cancelled")) ? "cancelled" : d.get("amount"))).toList()));
    }

    /**
     * Cartona refusing a status (a 4xx other than the token's) is the order's, for a person to settle: a To-Do on
     * the sale order. A refused token is the service's configuration, not the order's.
     */
    private static PermanentFailure refusedStatus(PermanentFailure refused, OrderProgress progress, String status) {
        int http = refused.httpStatus();
        return http >= 400 && http < 500 && http != 401 && http != 403
                ? refused.needing(new Decision("sale.order", progress.saleOrderId(),
                        "Cartona refused status " + status + " of order " + progress.orderId()))
                : refused;
    }

    /** Adds what Cartona was told to the route's {@value #TOLD}. */
    private static void tell(Exchange exchange, String what) {
        if (!what.isEmpty()) {
            String before = exchange.getProperty(TOLD, "", String.class);
            exchange.setProperty(TOLD, before.isEmpty() ? what : before + "; " + what);
        }
    }

    /**
     * Posts the status, recorded only once Cartona answered 2xx: a failure (transient: retried; permanent: a dead letter
     * with Cartona's reason) sends it again on the next attempt.
     */
    private void post(CartonaAccount account, String hashedId, String status, String cancellationReason) throws SQLException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hashed_id", hashedId);
        body.put("status", status);
        if (cancellationReason != null) {
            body.put("cancellation_reason", cancellationReason);
        }
        api.post(account, settings.orders().statusPath().replaceAll("/*$", "") + "/" + hashedId, body, "status " + status + " of order " + hashedId);
        statuses.record(account, hashedId, status);
        LOG.debugf("Cartona order %s of %s: status %s sent", hashedId, account, status);
    }
}
