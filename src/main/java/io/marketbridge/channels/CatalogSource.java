package io.marketbridge.channels;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the channels' catalog comes from: the system of record (Odoo's {@code OdooCatalogFeed}).
 * The channel core reads it through this, so it knows no peer.
 */
public interface CatalogSource {

    /**
     * @param item     its quantity is free to sell (on hand less reserved) at the configured location, before any channel's safety stock
     * @param sellable active, sale_ok and with an internal reference: a variant that is not must be withdrawn
     */
    record Variant(CatalogItem item, boolean published, boolean sellable) {
    }

    record Page(List<Variant> variants, long lastId, boolean last) {
    }

    /** Sellable variants with id > afterId, ascending, at most limit. */
    Page page(long afterId, int limit);

    /** These variants whatever their state (archived, not for sale, gone), so a channel can withdraw them. */
    List<Variant> variantsInAnyState(Collection<Long> productIds);

    /** The variants with these SKUs. */
    List<Variant> variantsBySku(Collection<String> skus);

    /** On-hand quantity of the variants with these SKUs, archived ones included, in one lookup; a SKU it has not is absent. */
    Map<String, BigDecimal> onHandBySku(Collection<String> skus);

    /** The variant ids behind changed records of a catalog model (variants, templates, stock); refuses other models. */
    Set<Long> productIdsOf(String model, List<Long> ids);
}
