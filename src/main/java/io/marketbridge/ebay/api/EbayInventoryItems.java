package io.marketbridge.ebay.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketbridge.ebay.account.EbayTokens;
import io.marketbridge.pipeline.PermanentFailure;

import java.net.URI;

/**
 * The pages of getInventoryItems. The first is asked for by its size; each next one is the page eBay
 * links as {@code next}, never computed: its {@code offset} is a page number, not a count of items.
 */
public final class EbayInventoryItems {

    public static final String PATH = "/sell/inventory/v1/inventory_item";

    private EbayInventoryItems() {
    }

    public static String firstPage(int size) {
        return PATH + "?limit=" + size;
    }

    /** The page after {@code answer} (the page read from {@code current}); null when it was the last one. */
    public static String nextPage(JsonNode answer, String current) {
        if (answer.path("inventoryItems").isEmpty() || !answer.hasNonNull("next")) {
            return null;
        }
        String next = pathAndQuery(answer.path("next").asText());
        return next.equals(current) ? null : next;
    }

    /** eBay's absolute link as a path and query under the API base. */
    static String pathAndQuery(String href) {
        URI uri;
        try {
            uri = URI.create(href.trim());
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(EbayTokens.PEER, "eBay's next page link is not a URL: " + href);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int at = path.indexOf(PATH);
        if (at < 0) {
            throw new PermanentFailure(EbayTokens.PEER, "eBay's next page link is not an inventory items page: " + href);
        }
        return path.substring(at) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
