package io.marketbridge.cartona;

import io.marketbridge.config.TimerDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Cartona, the B2B marketplace: the catalog push and the supplier accounts' orders: its settings,
 * under {@code marketbridge.cartona.*}. The required ones of an enabled Cartona are checked at start-
 * up by {@link CartonaRequiredSettings}.
 */
@ConfigMapping(prefix = "marketbridge.cartona")
public interface CartonaConfig {

    @WithDefault("false")
    boolean enabled();

    Optional<URI> url();

    /** The supplier account's token (the catalog is pushed with it; its orders are pulled with it). */
    Optional<String> token();

    /** The name of the account {@link #token()} belongs to: in logs, cursors and its orders' Odoo tag. */
    @WithDefault("main")
    String accountName();

    /**
     * The secret Cartona presents on {@code POST /webhooks/cartona/orders} for this account (in the header named by
     * {@link #authHeader()} or {@code Authorization: Bearer}); absent: the account's orders come by pull only.
     */
    Optional<String> webhookSecret();

    /**
     * Further supplier accounts ({@code marketbridge.cartona.accounts.<name>.token}, {@code .webhook-secret}): their
     * orders are pulled and received the same way, each with its own token, cursor and Odoo tag. The catalog is
     * pushed to the main account only.
     */
    Map<String, Account> accounts();

    @WithDefault("AuthorizationToken")
    String authHeader();

    Orders orders();

    interface Account {
        String token();

        Optional<String> webhookSecret();
    }

    interface Orders {
        /** Pull Cartona's orders on a timer (webhooks are taken either way). */
        @WithDefault("true")
        boolean enabled();

        /** Time between two pulls (also read by the cartona-orders-pull route). */
        @WithConverter(TimerDuration.class)
        Duration pollPeriod();

        /** Time after start-up before the first pull (read by the route). */
        @WithConverter(TimerDuration.class)
        Duration pollDelay();

        /** Orders per pull-orders page. */
        @WithDefault("50")
        int pageSize();

        /** Each pull re-reads this much before its cursor; duplicates are absorbed by the inbox. */
        @WithDefault("10m")
        Duration overlap();

        /** How far back an account's very first pull looks. */
        @WithDefault("P7D")
        Duration initialLookback();

        /** Orders pulled from a window, relative to {@link Cartona#url()}. */
        @WithDefault("order/pull-orders")
        String pullPath();

        /** Where an order's status is posted, relative to {@link Cartona#url()}; the order's hashed_id follows it. */
        @WithDefault("order/update-order-status")
        String statusPath();

        /** Where quantities changed in Odoo are posted, relative to {@link Cartona#url()}. */
        @WithDefault("order/update-order-details")
        String detailsPath();

        /**
         * The reason sent with {@code cancelled_by_supplier} when an order is cancelled in Odoo (read by the route): one of
         * Cartona's out_of_stock, cannot_deliver_the_order, removed_items, supplier_asked_me_to_cancel.
         */
        @WithDefault("cannot_deliver_the_order")
        String cancellationReason();
    }

    /** Price and stock of many products in one call, relative to {@link #url()}. */
    @WithDefault("supplier-product/bulk-update")
    String bulkUpdatePath();

    /** The supplier's product list (the connection test reads one), relative to {@link #url()}. */
    @WithDefault("supplier-product")
    String productsPath();

    /** Products per bulk-update at most: the default of Cartona's own Odoo module, not a documented limit (UNCONFIRMED). */
    int MAX_BATCH = 100;

    /** Products per bulk-update call: 1 to {@link #MAX_BATCH}, checked at start-up by {@link RequiredSettings}. */
    @WithDefault("100")
    int batchSize();

    /**
     * What Cartona knows a product by ({@code internal_product_id}): by default the Odoo variant id, as Cartona's own
     * Odoo module sends it, so a supplier who started with that module keeps its Cartona catalog.
     */
    @WithDefault("odoo-variant-id")
    ProductKey productKey();

    @WithDefault("30s")
    Duration timeout();

    /**
     * {@code odoo-variant-id}: the {@code product.product} id as text (Cartona's own Odoo module: {@code
     * str(product.product.id)}); {@code default-code}: the variant's internal reference (SKU), for a supplier whose
     * Cartona catalog was keyed by SKU.
     */
    enum ProductKey { ODOO_VARIANT_ID, DEFAULT_CODE }
}
