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
    private final Set<String> listedOn;
    private final Set<String> channels = new LinkedHashSet<>();

    public ChannelCandidate(CatalogItem item, boolean published, Set<String> listedOn) {
        this.item = item;
        this.published = published;
        this.listedOn = listedOn;
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

    /** The seller lists the SKU on that channel itself (on eBay: an offer we know, or a listing imported from eBay). */
    public boolean isListedOn(String channel) {
        return listedOn.contains(channel);
    }

    /** Called by the routing rules: this channel carries the variant. */
    public void carry(String channel) {
        channels.add(channel);
    }

    public Set<String> channels() {
        return channels;
    }
}
