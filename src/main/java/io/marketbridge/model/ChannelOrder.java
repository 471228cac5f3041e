package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.util.List;

/**
 * An order from a sales channel, as the one Odoo sale-order writer takes it: each channel maps its
 * own orders into this, the route decides from {@link #paid()} and {@link #cancelled()} what happens
 * to the sale order, and the writer makes it once ({@code client_order_ref} is {@link #ref()}).
 *
 * @param channel       the channel's key, first part of the reference ({@code ebay})
 * @param channelName   the channel as people name it ({@code eBay})
 * @param orderId       the channel's order id
 * @param buyer         the customer
 * @param shipTo        where it goes; becomes the customer's delivery contact (null: the customer's address)
 * @param lines         what was bought, at the unit price the buyer paid
 * @param shippingSku   the Odoo service product that carries the shipping cost (made if missing)
 * @param shippingName  the shipping line's label
 * @param shipping      the shipping cost the buyer paid (zero: no shipping line)
 * @param currency      the currency of the amounts
 * @param total         what the buyer paid in all, as the channel states it
 * @param paid          the channel says the order is paid
 * @param cancelled     the channel says the order is cancelled
 * @param note          a note for the sale order (null: none)
 */
@RegisterForReflection // routes read it (simple language) in the native image too
public record ChannelOrder(String channel, String channelName, String orderId, Party buyer, Party shipTo, List<Line> lines, String shippingSku,
        String shippingName, BigDecimal shipping, String currency, BigDecimal total, boolean paid, boolean cancelled, String note) {

    /** The sale order's {@code client_order_ref}: {@code <channel>:<orderId>}. */
    public String ref() {
        return channel + ":" + orderId;
    }

    /** For messages: {@code eBay order 12-34}. */
    public String describe() {
        return channelName + " order " + orderId;
    }

    /** The sale order's source document: {@code eBay 12-34}. */
    public String origin() {
        return channelName + " " + orderId;
    }

    /** One line: the product by SKU, the quantity, and the unit price the buyer paid (after discounts). */
    public record Line(String lineId, String sku, String name, int quantity, BigDecimal unitPrice) {
    }

    /**
     * A customer or a contact. {@code ref} is the partner's stable reference (Odoo {@code ref}, also
     * the base of its external id), e.g. {@code ebay_buyer_<username>}; null for a contact.
     */
    public record Party(String ref, String name, String email, String phone, String street, String street2, String city,
            String zip, String countryCode) {
    }
}
