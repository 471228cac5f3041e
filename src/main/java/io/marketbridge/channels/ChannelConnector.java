package io.marketbridge.channels;

import java.util.List;

/**
 * A sales channel that shows Odoo's catalog: the push side of eBay, Cartona and Medusa. The sync
 * decides what changed and batches it; a connector only speaks its channel's protocol.
 */
public interface ChannelConnector {

    /** {@code ebay}, {@code cartona} or {@code medusa}: the channel's name in routes, state and metrics. */
    String channel();

    /** Whether the channel is enabled and configured. */
    boolean enabled();

    /** Most items one {@link #push} call may carry (the channel's own limit, or configured below it). */
    int maxBatch();

    /**
     * Sends the items' current content, price and quantity in as few calls as the channel allows,
     * one result per item. A failure of the whole call (peer down, 429, 5xx) is thrown as a
     * {@link io.marketbridge.pipeline.TransientFailure}; a refusal of the whole call as a
     * {@link io.marketbridge.pipeline.PermanentFailure}.
     */
    List<PushResult> push(List<CatalogItem> batch);
}
