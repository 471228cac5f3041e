package io.marketbridge.channels;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One Odoo variant on its way through the channel routing rules (routes/channels.yaml): the rules
 * read what the variant is and add the channels that carry it.
 */
public final class ChannelCandidate {

    private final CatalogItem item;
    private final boolean published;
    private final boolean listedOnEbay;
    private final Set<String> channels = new LinkedHashSet<>();

    public ChannelCandidate(CatalogItem item, boolean published, boolean listedOnEbay) {
        this.item = item;
        this.published = published;
        this.listedOnEbay = listedOnEbay;
    }

    public CatalogItem getItem() {
        return item;
    }

    public String getSku() {
        return item.sku();
    }

    /** Published to the storefront (Odoo's website flag, or sale_ok where Odoo has no website). */
    public boolean isPublished() {
        return published;
    }

    /** The SKU has an eBay listing (an offer we know, or a listing imported from eBay). */
    public boolean isListedOnEbay() {
        return listedOnEbay;
    }

    /** Called by the routing rules: this channel carries the variant. */
    public void carry(String channel) {
        channels.add(channel);
    }

    public Set<String> channels() {
        return channels;
    }
}
