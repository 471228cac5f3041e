package io.marketbridge.ebay.fulfilment;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.api.EbayQuotas;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.odoo.OdooClient;
import io.marketbridge.odoo.OdooDeliveries;
import io.marketbridge.odoo.OdooDeliveries.Picking;
import io.marketbridge.pipeline.Cursors;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two fulfilment polls, each from its own stored cursor minus a small overlap (the inbox
 * absorbs what is read twice), each moving its cursor only after what it read is in the inbox:
 * eBay orders shipped on eBay that Odoo still holds as not shipped, and Odoo's done deliveries of
 * eBay orders.
 */
@Singleton
@Named("ebayFulfilmentPoller")
public class EbayFulfilmentPoller {

    private static final Logger LOG = Logger.getLogger(EbayFulfilmentPoller.class);
    static final String EBAY_FLOW = "ebay-fulfilment";
    static final String ODOO_FLOW = "odoo-ebay-deliveries";
    private static final int PAGE = 200;
    private static final String ORDERS = "/sell/fulfillment/v1/order";
    private static final DateTimeFormatter ODOO_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final EbayApi ebay;
    private final EbayTokens tokens;
    private final EbayQuotas quotas;
    private final PollHealth pollHealth;
    private final EbayFulfilments fulfilments;
    private final OdooClient odoo;
    private final OdooDeliveries deliveries;
    private final Inbox inbox;
    private final Cursors cursors;
    private final MarketbridgeConfig config;

    EbayFulfilmentPoller(EbayApi ebay, EbayTokens tokens, EbayQuotas quotas, PollHealth pollHealth, EbayFulfilments fulfilments,
            OdooClient odoo, OdooDeliveries deliveries, Inbox inbox, Cursors cursors, MarketbridgeConfig config) {
        this.ebay = ebay;
        this.tokens = tokens;
        this.quotas = quotas;
        this.pollHealth = pollHealth;
        this.fulfilments = fulfilments;
        this.odoo = odoo;
        this.deliveries = deliveries;
        this.inbox = inbox;
        this.cursors = cursors;
        this.config = config;
    }

    private boolean sellerConnected() {
        return config.odoo().enabled() && tokens.sellerCallsAllowed();
    }

    /**
     * eBay → Odoo: orders modified since the cursor whose fulfilment started on eBay (marked shipped,
     * tracking added); for each that Odoo does not hold as shipped, its fulfilments go to the inbox.
     */
    public void pollEbay() throws Exception {
        if (!sellerConnected() || !quotas.allowsPoll(EBAY_FLOW, ORDERS)) {
            return;
        }
        pollHealth.run(EBAY_FLOW, this::readShippedOnEbay);
    }

    private PollHealth.Result readShippedOnEbay() throws SQLException {
        var settings = config.ebay().fulfilment();
        Instant cursor = cursors.get(EBAY_FLOW).map(Instant::parse).orElse(Instant.now().minus(settings.initialLookback()));
        String filter = "lastmodifieddate:[" + DateTimeFormatter.ISO_INSTANT.format(
                cursor.minus(settings.overlap()).truncatedTo(ChronoUnit.MILLIS)) + "..],orderfulfillmentstatus:{IN_PROGRESS|FULFILLED}";
        Instant newest = cursor;
        List<JsonNode> shipped = new ArrayList<>();
        int pages = 0;
        for (int offset = 0; ; offset += PAGE) {
            pages++;
            JsonNode page = ebay.get(ORDERS + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                    + "&limit=" + PAGE + "&offset=" + offset);
            int size = 0;
            for (JsonNode order : page.path("orders")) {
                size++;
                Instant at = Instant.parse(order.path("lastModifiedDate").asText());
                newest = at.isAfter(newest) ? at : newest;
                if (!"NOT_STARTED".equals(order.path("orderFulfillmentStatus").asText("NOT_STARTED"))) {
                    shipped.add(order);
                }
            }
            if (!page.hasNonNull("next") || size < PAGE) {
                break;
            }
        }
        Set<String> shippedInOdoo = shippedInOdoo(shipped);
        int accepted = 0;
        int offered = 0;
        for (JsonNode order : shipped) {
            if (!shippedInOdoo.contains(order.path("orderId").asText())) {
                offered++;
                accepted += fulfilments.offerFulfilments(order);
            }
        }
        cursors.set(EBAY_FLOW, newest.toString());
        if (offered > 0) {
            LOG.infof("eBay fulfilment poll: %d order(s) shipped on eBay and not in Odoo, %d new fulfilment(s), cursor %s",
                    offered, accepted, newest);
        }
        return new PollHealth.Result(accepted, 0, pages);
    }

    /** eBay order ids whose Odoo sale order has outgoing deliveries, all of them done. */
    private Set<String> shippedInOdoo(List<JsonNode> orders) {
        Set<String> shipped = new HashSet<>();
        if (orders.isEmpty()) {
            return shipped;
        }
        Set<String> refs = new LinkedHashSet<>();
        orders.forEach(order -> refs.add("ebay:" + order.path("orderId").asText()));
        Map<Long, String> orderIdBySaleOrder = new HashMap<>();
        for (JsonNode row : odoo.searchRead("sale.order", List.of(List.of("client_order_ref", "in", List.copyOf(refs))),
                List.of("client_order_ref"), null, null, null)) {
            orderIdBySaleOrder.put(row.get("id").asLong(), row.path("client_order_ref").asText().substring("ebay:".length()));
        }
        deliveries.ofSaleOrders(orderIdBySaleOrder.keySet()).forEach((saleOrder, pickings) -> {
            if (!pickings.isEmpty() && pickings.stream().allMatch(Picking::done)) {
                shipped.add(orderIdBySaleOrder.get(saleOrder));
            }
        });
        return shipped;
    }

    /**
     * Odoo → eBay: done outgoing deliveries with a tracking reference, changed since the cursor,
     * whose sale order is an eBay order ({@code client_order_ref ebay:<orderId>}), go to the inbox.
     */
    public void pollOdoo() throws Exception {
        if (!sellerConnected() || !deliveries.tracksShipments()) {
            return; // without Odoo's delivery module there is no tracking to send
        }
        pollHealth.run(ODOO_FLOW, this::readDoneDeliveries);
    }

    private PollHealth.Result readDoneDeliveries() throws SQLException {
        var settings = config.ebay().fulfilment();
        String cursor = cursors.get(ODOO_FLOW)
                .orElse(ODOO_DATETIME.format(LocalDateTime.now(ZoneOffset.UTC).minus(settings.initialLookback())));
        String since = ODOO_DATETIME.format(LocalDateTime.parse(cursor, ODOO_DATETIME).minus(settings.overlap()));
        String newest = cursor;
        int seen = 0;
        int accepted = 0;
        int calls = 0;
        for (int offset = 0; ; offset += PAGE) {
            calls++;
            List<Picking> page = deliveries.doneWithTrackingSince(since, offset, PAGE);
            Set<Long> saleOrders = new LinkedHashSet<>();
            page.forEach(picking -> saleOrders.add(picking.saleOrderId()));
            Map<Long, String> ebayOrders = new HashMap<>();
            if (!saleOrders.isEmpty()) {
                for (JsonNode row : odoo.searchRead("sale.order", List.of(List.of("id", "in", List.copyOf(saleOrders)),
                        List.of("client_order_ref", "like", "ebay:")), List.of("client_order_ref"), null, null, null)) {
                    String ref = row.path("client_order_ref").asText();
                    if (ref.startsWith("ebay:")) {
                        ebayOrders.put(row.get("id").asLong(), ref.substring("ebay:".length()));
                    }
                }
            }
            List<InboundEvent> events = new ArrayList<>();
            for (Picking picking : page) {
                if (picking.writeDate() != null && picking.writeDate().compareTo(newest) > 0) {
                    newest = picking.writeDate();
                }
                String orderId = ebayOrders.get(picking.saleOrderId());
                if (orderId != null) {
                    events.add(fulfilments.deliveryDone(picking, orderId));
                }
            }
            seen += events.size();
            accepted += inbox.offerAll(events);
            if (page.size() < PAGE) {
                break;
            }
        }
        cursors.set(ODOO_FLOW, newest);
        if (accepted > 0) {
            LOG.infof("Odoo deliveries poll: %d done eBay deliverie(s), %d new, cursor %s", seen, accepted, newest);
        }
        return new PollHealth.Result(accepted, seen - accepted, calls);
    }
}
