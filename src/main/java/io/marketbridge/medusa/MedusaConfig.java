package io.marketbridge.medusa;

import io.marketbridge.config.TimerDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A Medusa v2 storefront, reached through its Admin API: its settings, under {@code
 * marketbridge.medusa.*}. The required ones of an enabled Medusa are checked at start-up by {@link
 * MedusaRequiredSettings}.
 */
@ConfigMapping(prefix = "marketbridge.medusa")
public interface MedusaConfig {

    @WithDefault("false")
    boolean enabled();

    /** The Medusa server's base URL, e.g. https://shop.example.com (its Admin API is under /admin). */
    Optional<URI> url();

    /** A secret API key ({@code sk_...}), sent as HTTP Basic user name with an empty password. */
    Optional<String> apiKey();

    /** The stock location ({@code sloc_...}) whose stocked quantities Odoo sets. */
    Optional<String> stockLocationId();

    /** Medusa's {@code currency_code} of the prices Odoo sets (lower case); by default Odoo's company currency. */
    @WithDefault("${marketbridge.odoo.currency}")
    String currency();

    /** The sales channel ({@code sc_...}) new products are published in; absent: Medusa's default. */
    Optional<String> salesChannelId();

    /**
     * The shipping profile ({@code sp_...}) new products get, so a shopper's cart offers them a shipping option;
     * absent: Medusa's default profile ({@code type=default}), read once.
     */
    Optional<String> shippingProfileId();

    /** Products per batch call (and catalog items per push). */
    @WithDefault("50")
    int batchSize();

    /** Per call: a batch of products is one transaction on Medusa's side. */
    @WithDefault("30s")
    Duration timeout();

    /** Medusa orders into Odoo sale orders (routes/medusa-orders.yaml). */
    Orders orders();

    interface Orders {
        /** Polls {@code GET /admin/orders} (Medusa has no outgoing webhooks); off: no order is read. */
        @WithDefault("true")
        boolean enabled();

        /** Time between two order polls (also read by the medusa-orders-poll route). */
        @WithConverter(TimerDuration.class)
        Duration pollPeriod();

        /** Time after start-up before the first poll (read by the route). */
        @WithConverter(TimerDuration.class)
        Duration pollDelay();

        /** Each poll re-reads this much before the cursor ({@code updated_at}); duplicates are absorbed by the inbox. */
        @WithDefault("2m")
        Duration overlap();

        /** How far back the very first poll looks. */
        @WithDefault("P7D")
        Duration initialLookback();

        /** Orders per {@code GET /admin/orders} page. */
        @WithDefault("50")
        int pageSize();

        /** The Odoo service product that carries an order's shipping cost (created if missing). */
        @WithDefault("SHIPPING-MEDUSA")
        String shippingSku();

        /**
         * When a Medusa order counts as paid, so its sale order is confirmed: {@code captured} (payment captured)
         * or {@code authorized} (authorized or captured).
         */
        @WithDefault("captured")
        PaidWhen paidWhen();
    }

    enum PaidWhen { CAPTURED, AUTHORIZED }

    /** Odoo's done deliveries of Medusa orders as Medusa fulfillments, shipped with their tracking number. */
    Fulfilments fulfilments();

    interface Fulfilments {
        /** Polls Odoo for done deliveries of Medusa orders; off: no fulfillment is sent to Medusa. */
        @WithDefault("true")
        boolean enabled();

        /** Time between two polls of Odoo's done deliveries (also read by the odoo-medusa-deliveries-poll route). */
        @WithConverter(TimerDuration.class)
        Duration pollPeriod();

        /** Time after start-up before the first poll (read by the route). */
        @WithConverter(TimerDuration.class)
        Duration pollDelay();
    }
}
