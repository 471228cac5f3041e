package io.marketbridge.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.LocalDate;
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
 * @param status        the channel's own word for the order's state ({@code PAID}, {@code cancelled_by_retailer}), for
 *                      the rules a route states on it
 * @param account       the channel account the order came through, when the channel has several (null: the only one);
 *                      the sale order is tagged {@code <channelName> <account>}
 * @param deliveryDate  the day the channel promised delivery (null: none); the sale order's commitment date
 */
@RegisterForReflection // routes read it (simple language) in the native image too
public record ChannelOrder(String channel, String channelName, String orderId, Party buyer, Party shipTo, List<Line> lines, String shippingSku,
        String shippingName, BigDecimal shipping, String currency, BigDecimal total, boolean paid, boolean cancelled, String note, String status,
        String account, LocalDate deliveryDate) {

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

    /**
     * One line: the product, the quantity, and the unit price the buyer paid (after discounts). The product is named by
     * its SKU, or by its Odoo variant id where the channel keys products so (Cartona's {@code internal_product_id}).
     */
    public record Line(String lineId, String sku, Long odooProductId, String name, int quantity, BigDecimal unitPrice) {

        /** A line whose product is named by its SKU. */
        public static Line bySku(String lineId, String sku, String name, int quantity, BigDecimal unitPrice) {
            return new Line(lineId, sku, null, name, quantity, unitPrice);
        }

        /** A line whose product is named by its Odoo variant id. */
        public static Line byOdooId(String lineId, long odooProductId, String name, int quantity, BigDecimal unitPrice) {
            return new Line(lineId, null, odooProductId, name, quantity, unitPrice);
        }

        /** For messages: {@code SKU 'A-1'} or {@code Odoo product 42}. */
        public String product() {
            return odooProductId != null ? "Odoo product " + odooProductId : "SKU '" + sku + "'";
        }
    }

    /**
     * A customer or a contact. {@code ref} is the partner's stable reference (Odoo {@code ref}, also
     * the base of its external id), e.g. {@code ebay_buyer_<username>}; null for a contact.
     */
    public record Party(String ref, String name, String email, String phone, String street, String street2, String city,
            String zip, String countryCode) {
    }
}
