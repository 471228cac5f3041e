package io.marketbridge.channels;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One sellable Odoo variant as every channel is told about it: Odoo is the system of record, and
 * each channel connector turns this into its own request.
 *
 * @param sku          the variant's internal reference ({@code default_code}): the key of channel state and of eBay and
 *                     Medusa variants
 * @param productId    {@code product.product} id (Cartona's {@code internal_product_id} by default)
 * @param templateId   {@code product.template} id: Medusa's product ({@code external_id odoo-template-<id>})
 * @param templateName the template's name (Medusa's product title)
 * @param name         the variant's display name
 * @param description  sales description, plain text, may be null
 * @param price        sales price in major units of {@code currency}
 * @param currency     ISO 4217 code, upper case
 * @param quantity     what the channel may sell: on hand minus its safety stock, never below zero
 * @param attributes   attribute name → value for this variant, in the template's attribute order (Medusa options)
 * @param barcode      EAN/UPC, may be null
 */
@RegisterForReflection
public record CatalogItem(String sku, long productId, long templateId, String templateName, String name, String description,
        BigDecimal price, String currency, int quantity, Map<String, String> attributes, String barcode) {

    /** The same item with another quantity (a safety stock held back, or nothing when withdrawn). */
    public CatalogItem withQuantity(int newQuantity) {
        return new CatalogItem(sku, productId, templateId, templateName, name, description, price, currency, newQuantity, attributes, barcode);
    }
}
