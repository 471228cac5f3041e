package io.marketbridge.medusa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketbridge.model.ChannelOrder;
import io.marketbridge.model.OrderProgress;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Map;

/**
 * Medusa orders as channel orders, the source and last steps of routes/medusa-orders.yaml: the order an event of the
 * poller holds, mapped by {@link MedusaOrderMapper}; and, once Odoo has the order, its name written into the Medusa
 * order's metadata ({@value #SALE_ORDER_KEY}), once.
 */
@Singleton
@Named("medusaOrders")
public class MedusaOrders {

    /** The Medusa order's metadata key that holds the Odoo sale order's name. */
    public static final String SALE_ORDER_KEY = "odoo_sale_order";
    private static final Logger LOG = Logger.getLogger(MedusaOrders.class);

    private final MedusaApi medusa;
    private final ObjectMapper json;
    private final MedusaConfig.Orders config;

    MedusaOrders(MedusaApi medusa, ObjectMapper json, MedusaConfig config) {
        this.medusa = medusa;
        this.json = json;
        this.config = config.orders();
    }

    /** An order event from the poller: the order as {@code GET /admin/orders} showed it. */
    public ChannelOrder fromEvent(InboxEvent event) {
        return MedusaOrderMapper.toChannelOrder(read(event), config.shippingSku(), config.paidWhen());
    }

    /**
     * Writes the Odoo sale order's name into the Medusa order's metadata, keeping the rest of it (Medusa replaces
     * the metadata it is sent). Skipped when the order as polled, or as Medusa holds it now, already carries it;
     * a write changes the order's {@code updated_at}, so the next poll reads it once more and skips here.
     */
    public void recordSaleOrder(ChannelOrder order, @ExchangeProperty("odooSaleOrderName") String saleOrderName,
            @ExchangeProperty(Inbox.EVENT) InboxEvent event) {
        if (saleOrderName.equals(read(event).path("metadata").path(SALE_ORDER_KEY).asText())) {
            return;
        }
        String path = "/admin/orders/" + MedusaApi.encode(order.orderId());
        JsonNode current = medusa.require(medusa.get(path + "?fields=id,metadata"), "reading " + order.describe() + "'s metadata")
                .path("order").path("metadata");
        if (saleOrderName.equals(current.path(SALE_ORDER_KEY).asText())) {
            return;
        }
        ObjectNode metadata = current.isObject() ? ((ObjectNode) current).deepCopy() : json.createObjectNode();
        metadata.put(SALE_ORDER_KEY, saleOrderName);
        medusa.require(medusa.post(path, Map.of("metadata", metadata)), "writing Odoo sale order " + saleOrderName + " into "
                + order.describe() + "'s metadata");
        LOG.infof("%s: Odoo sale order %s recorded in its metadata", order.describe(), saleOrderName);
    }

    /**
     * An order cancelled in Odoo is cancelled in Medusa ({@code POST /admin/orders/{id}/cancel}), unless Medusa has it
     * canceled already (a cancellation that came from Medusa). Medusa refuses to cancel an order with fulfillments
     * not canceled first: a dead letter with Medusa's reason.
     */
    public void cancelInMedusa(OrderProgress progress) {
        String path = "/admin/orders/" + MedusaApi.encode(progress.orderId());
        String status = medusa.require(medusa.get(path + "?fields=id,status"), "reading Medusa order " + progress.orderId())
                .path("order").path("status").asText();
        if ("canceled".equals(status)) {
            return;
        }
        medusa.require(medusa.post(path + "/cancel", Map.of()), "cancelling Medusa order " + progress.orderId()
                + " (Odoo sale order " + progress.saleOrderId() + " was cancelled)");
        LOG.infof("Medusa order %s cancelled: its Odoo sale order %d was", progress.orderId(), progress.saleOrderId());
    }

    private JsonNode read(InboxEvent event) {
        try {
            return json.readTree(event.payload());
        } catch (IOException e) {
            throw new PermanentFailure(MedusaApi.PEER, "unreadable order event " + event.key() + ": " + e.getMessage(), e);
        }
    }
}
