package io.marketbridge.channels;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

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
     * The items cut into calls of at most {@link #maxBatch} each. Calls may be in flight at once, so a
     * channel whose records span several items (a product and its variants) keeps each record whole.
     */
    default List<List<CatalogItem>> batches(List<CatalogItem> items) {
        List<List<CatalogItem>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += maxBatch()) {
            batches.add(items.subList(from, Math.min(items.size(), from + maxBatch())));
        }
        return batches;
    }

    /**
     * Of these SKUs, those the seller already lists on the channel itself (made there, not pushed by
     * us): a fact the routing rules read (header {@code listedOn}). None by default.
     */
    default Set<String> listedHere(Collection<String> skus) throws SQLException {
        return Set.of();
    }

    /** A full sync's first step for this channel, e.g. learning what it holds in as few calls as it allows. */
    default void prepareFullSync(Executor workers, int parallel, BooleanSupplier cancelled) {
    }

    /** Before one item is pushed again (a retry or a replayed refusal): forget what the channel said was gone. */
    default void beforeRetry(String sku) {
    }

    /**
     * Of these SKUs (all with channel state), those the channel is known to show now, so a withdrawal
     * makes sense; where the channel's own view can be stale (an eBay offer ended and relisted), only
     * those it is sure of.
     */
    default Set<String> knownToShow(Collection<String> skus) {
        return new HashSet<>(skus);
    }

    /**
     * Sends the items' current content, price and quantity in as few calls as the channel allows,
     * one result per item. A failure of the whole call (peer down, 429, 5xx) is thrown as a
     * {@link io.marketbridge.pipeline.TransientFailure}; a refusal of the whole call as a
     * {@link io.marketbridge.pipeline.PermanentFailure}.
     */
    List<PushResult> push(List<CatalogItem> batch);

    /**
     * A dry run as the channel itself sees it, read without writing anything; empty where that
     * would cost a call per item, and then what the channel last accepted (channel state) stands in.
     */
    default Optional<List<PlanEntry>> planOnChannel(List<CatalogItem> items) {
        return Optional.empty();
    }
}
