package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.util.List;

/**
 * How far Odoo has taken a channel's order, for the route that tells the channel: the sale order's stage, from its
 * state and its outgoing deliveries.
 *
 * @param channel     the channel's key ({@code cartona})
 * @param orderId     the channel's order id (the sale order's {@code client_order_ref} after {@code <channel>:})
 * @param saleOrderId the Odoo sale order
 * @param stage       {@code quotation} (draft or sent), {@code confirmed} (nothing delivered yet), {@code shipped} (some
 *                    deliveries done), {@code delivered} (every delivery done), {@code cancelled}
 * @param lines       the sale order's lines as Odoo has them now (a person may have changed quantities)
 */
@RegisterForReflection // routes read it (simple language) in the native image too
public record OrderProgress(String channel, String orderId, long saleOrderId, String stage, List<Line> lines) {

    /** A sale order line: the product (Odoo variant id and SKU, null without one), the quantity and the unit price. */
    @RegisterForReflection
    public record Line(long productId, String sku, BigDecimal quantity, BigDecimal unitPrice) {
    }
}
