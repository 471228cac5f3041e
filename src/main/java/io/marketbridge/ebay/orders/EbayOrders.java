package io.marketbridge.ebay.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.EbayConfig;
import io.marketbridge.ebay.api.EbayApi;
import io.marketbridge.ebay.notifications.EbayCommerceNotifications;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.TransientFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * eBay orders as channel orders, the source step of the order routes (routes/ebay-orders.yaml): from
 * an order event the poller stored, or fetched by the id a sale notification names.
 */
@Singleton
@Named("ebayOrders")
public class EbayOrders {

    private final EbayApi ebay;
    private final ObjectMapper json;
    private final String shippingSku;

    EbayOrders(EbayApi ebay, ObjectMapper json, EbayConfig config) {
        this.ebay = ebay;
        this.json = json;
        this.shippingSku = config.orders().shippingSku();
    }

    /** An order event from the poller: the whole order as getOrders returned it. */
    public ChannelOrder fromEvent(InboxEvent event) {
        try {
            return EbayOrderMapper.toChannelOrder(json.readTree(event.payload()), shippingSku);
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable order event " + event.key() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A sale notification (FixedPriceTransaction, AuctionCheckoutComplete, ORDER_CONFIRMATION) can
     * describe a single line of a multi-line order, so the full order is fetched by id.
     */
    public List<ChannelOrder> fetchNotified(InboxEvent event) {
        String orderId = notifiedOrderId(event);
        JsonNode orders = ebay.get("/sell/fulfillment/v1/order?orderIds=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8))
                .path("orders");
        if (orders.isEmpty()) {
            // eBay can notify before the order is readable: try again shortly
            throw new TransientFailure("ebay", "order " + orderId + " is not in getOrders yet", Duration.ofSeconds(30), null);
        }
        List<ChannelOrder> found = new ArrayList<>();
        orders.forEach(order -> found.add(EbayOrderMapper.toChannelOrder(order, shippingSku)));
        return found;
    }

    private String notifiedOrderId(InboxEvent event) {
        try {
            EbayNotification notification = json.readValue(event.payload(), EbayNotification.class);
            String orderId = notification.orderId();
            if ((orderId == null || orderId.isBlank()) && notification.raw() != null && notification.raw().startsWith("{")) {
                // a Commerce notification keeps (the ids of) its data: a replay looks again wherever eBay put the id
                orderId = EbayCommerceNotifications.orderIdIn(json.readTree(notification.raw()).path("notification").path("data"));
            }
            if (orderId == null || orderId.isBlank()) {
                throw new PermanentFailure("ebay", event.type() + " " + event.key()
                        + " names no order (ContainingOrder/OrderID, data.order.orderId)");
            }
            return orderId;
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "unreadable notification " + event.key() + ": " + e.getMessage(), e);
        }
    }
}
