package io.marketbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the service, under {@code marketbridge.*}; each one can be set by environment
 * variable ({@code marketbridge.odoo.url} is {@code MARKETBRIDGE_ODOO_URL}).
 * Required settings of an enabled peer are checked at start-up by {@link RequiredSettings}.
 * Times are durations ({@code 5m}, {@code 30s}, {@code 500ms}); those a route's timer reads too are
 * {@link TimerDuration}s, which Camel reads the same way.
 */
@ConfigMapping(prefix = "marketbridge")
public interface MarketbridgeConfig {

    Odoo odoo();

    Ebay ebay();

    Cartona cartona();

    Medusa medusa();

    Admin admin();

    Pipeline pipeline();

    Polling polling();

    Channels channels();

    Db db();

    /** Where the YAML routes are loaded from (Camel resource patterns, comma-separated). */
    String routes();

    /** Reload a route as soon as its file in {@link #routesDirectory()} changes. */
    @WithDefault("false")
    boolean routesReload();

    @WithDefault("routes")
    String routesDirectory();

    /** Chosen at run time by {@code DatabaseSelection} from the URL. */
    interface Db {
        @WithDefault("h2")
        String kind();

        Optional<String> url();

        Optional<String> username();

        Optional<String> password();
    }

    interface Odoo {
        @WithDefault("true")
        boolean enabled();

        Optional<URI> url();

        Optional<String> database();

        Optional<String> username();

        /** API key of a dedicated bot user; preferred over {@link #password()}. */
        Optional<String> apiKey();

        /** Shared secret Odoo's automation rules send in X-Marketbridge-Secret to POST /webhooks/odoo; unset: webhooks off. */
        Optional<String> webhookSecret();

        Optional<String> password();

        @WithDefault("auto")
        OdooApi api();

        @WithDefault("10s")
        Duration timeout();

        /** The company currency: listings priced in another one are imported as is and flagged. */
        @WithDefault("USD")
        String currency();

        /** Where imported on-hand quantities go, and whose stock (child locations included) channels are offered; default: the first warehouse's stock location. */
        Optional<Long> stockLocationId();

        /** The product.template field that says a product is published (website_sale's); {@code sale_ok} when this Odoo has no such field. */
        @WithDefault("is_published")
        String publishedField();

        /**
         * The login of the Odoo user who gets a To-Do activity when an order needs a person's decision (a product
         * Odoo does not know, a cancel Odoo refused, a return); unset: the user the service connects as.
         */
        Optional<String> decisionsUser();

        enum OdooApi { AUTO, JSONRPC, JSON2 }
    }

    interface Ebay {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("production")
        EbayEnvironment environment();

        /** Defaults to the environment's host; override to point at a simulator. */
        Optional<URI> apiUrl();

        /** eBay's consent page host (auth.ebay.com, auth.sandbox.ebay.com); override to point at a simulator. */
        Optional<URI> authUrl();

        Optional<String> appId();

        Optional<String> devId();

        Optional<String> certId();

        Optional<String> refreshToken();

        /** Imported eBay categories are created under this Odoo category path. */
        @WithDefault("All / eBay")
        String categoryRoot();

        Notification notification();

        Oauth oauth();

        Orders orders();

        Quota quota();

        Inventory inventory();

        interface Inventory {
            /** Time between two inventory polls (also read by the ebay-inventory-poll route; the first one waits a period). */
            @WithDefault("30m")
            @WithConverter(TimerDuration.class)
            Duration pollPeriod();

            /** Inventory items per getInventoryItems page (eBay allows 200 at most). */
            @WithDefault("200")
            int pageSize();
        }

        Push push();

        /** Odoo's price and quantity pushed to the seller's eBay offers (EbayChannelConnector). */
        interface Push {
            /** Whose offer of a SKU is updated (a SKU may have one offer per marketplace). */
            @WithDefault("EBAY_US")
            String marketplace();

            /** How long "this SKU has no published offer" is believed before getOffers is asked again. */
            @WithDefault("1h")
            Duration noOfferRecheck();
        }

        Categories categories();

        /** The eBay category tree (Taxonomy API) as Odoo's product.category hierarchy. */
        interface Categories {
            /** Quartz cron of the daily import (also read by the ebay-categories-import route). */
            String schedule();

            /** The Odoo category path the tree goes under; listings use the same one. */
            @WithDefault("${marketbridge.ebay.category-root}")
            String root();

            /** {@code listings}: only the branches that hold the seller's listings; {@code all}: the whole tree. */
            @WithDefault("listings")
            CategoryScope scope();

            /** Whose default category tree is imported. */
            @WithDefault("EBAY_US")
            String marketplace();

            enum CategoryScope { LISTINGS, ALL }
        }

        Fulfilment fulfilment();

        /** Shipping fulfilments both ways: eBay → Odoo delivery and chatter, done Odoo delivery → eBay. */
        interface Fulfilment {
            /** Time between two fulfilment polls, each way (also read by the routes in ebay-fulfilment.yaml). */
            @WithConverter(TimerDuration.class)
            Duration pollPeriod();

            /** Time after start-up before the first fulfilment polls (read by the routes). */
            @WithConverter(TimerDuration.class)
            Duration pollDelay();

            /** Each poll re-reads this much before its cursor; duplicates are absorbed by the inbox. */
            @WithDefault("2m")
            Duration overlap();

            /** How far back the very first polls look. */
            @WithDefault("P7D")
            Duration initialLookback();

            /** Odoo carrier name (delivery.carrier) → eBay shippingCarrierCode, e.g. {@code carrier-codes."FedEx Ground"=FEDEX}. */
            Map<String, String> carrierCodes();

            /** The eBay carrier code sent when a delivery's carrier is absent or not in {@link #carrierCodes()}. */
            @WithDefault("Other")
            String defaultCarrierCode();
        }

        interface Quota {
            /** Time between two reads of eBay's call budgets (also read by the ebay-quota-watch route). */
            @WithConverter(TimerDuration.class)
            Duration checkPeriod();
        }

        interface Orders {
            /** Time between two getOrders polls (also read by the ebay-orders-poll route). */
            @WithConverter(TimerDuration.class)
            Duration pollPeriod();

            /** Time after start-up before the first poll (read by the route). */
            @WithConverter(TimerDuration.class)
            Duration pollDelay();

            /** Orders per getOrders page (eBay allows 200 at most). */
            @WithDefault("200")
            int pageSize();

            /** Each poll re-reads this much before the cursor; duplicates are absorbed by the inbox. */
            @WithDefault("2m")
            Duration overlap();

            /** How far back the very first poll looks. */
            @WithDefault("P7D")
            Duration initialLookback();

            /** The Odoo service product that carries an order's shipping cost (created if missing). */
            @WithDefault("SHIPPING-EBAY")
            String shippingSku();
        }

        interface Oauth {
            /**
             * Space-separated scopes asked for on refresh and at /admin/ebay/connect; absent: refresh asks for
             * everything the seller granted, and the consent page for {@code EbaySellerConnect.DEFAULT_SCOPES}.
             */
            Optional<String> scopes();

            /** The user token is refreshed this long before it expires. */
            @WithDefault("5m")
            Duration refreshBuffer();

            // --- connecting a seller through /admin/ebay/connect ---

            /** The RuName (eBay redirect URL name) whose accept/decline URLs point at /admin/ebay/callback. */
            Optional<String> ruName();

            /** Base64 of 32 random bytes: the AES-256-GCM key the stored refresh token is encrypted with. */
            Optional<String> tokenKey();
        }

        interface Notification {
            /** Platform Notifications older or newer than this are rejected as replays. */
            @WithDefault("10m")
            Duration timestampWindow();

            /**
             * The largest notification accepted. A Platform Notification carries the whole listing, whose
             * description eBay allows up to 500,000 characters (more bytes once XML-escaped or multi-byte).
             */
            @WithDefault("4194304")
            int maxBodyBytes();

            /** The public URL registered for Commerce notifications, exactly (used in the challenge response). */
            Optional<String> endpointUrl();

            /** The verification token registered with it (32 to 80 characters of [A-Za-z0-9_-]). */
            Optional<String> verificationToken();

            /** How long a fetched notification public key is trusted. */
            @WithDefault("1h")
            Duration publicKeyCache();

            /** The public URL of /webhooks/ebay/platform, registered with SetNotificationPreferences on connect. */
            Optional<String> platformUrl();

            /** The email eBay alerts when the Commerce notification endpoint fails (eBay wants one before a destination). */
            Optional<String> alertEmail();
        }

        enum EbayEnvironment {
            SANDBOX("https://api.sandbox.ebay.com", "https://auth.sandbox.ebay.com"),
            PRODUCTION("https://api.ebay.com", "https://auth.ebay.com");

            public final URI apiUrl;
            public final URI authUrl;

            EbayEnvironment(String apiUrl, String authUrl) {
                this.apiUrl = URI.create(apiUrl);
                this.authUrl = URI.create(authUrl);
            }
        }
    }

    interface Cartona {
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

    /** A Medusa v2 storefront, reached through its Admin API. */
    interface Medusa {
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

    interface Admin {
        @WithDefault("admin")
        String username();

        /** Required outside dev mode: guards the admin API, Hawtio and Jolokia. */
        Optional<String> password();
    }

    interface Pipeline {
        /** The dispatcher's safety net: time between two looks for due inbox events (retries come due, leases run out); commits wake it at once. */
        @WithConverter(TimerDuration.class)
        Duration dispatchPeriod();

        /** Threads that run flows for claimed events. */
        int workers();

        /** Transactions storing webhook deliveries that may be in flight at once (each takes every delivery waiting). */
        @WithDefault("2")
        int inboxWriters();

        /** The most webhook deliveries one inbox transaction stores. */
        @WithDefault("256")
        int inboxWriteBatch();

        /** How many due inbox events one dispatcher run claims. */
        @WithDefault("200")
        int claimBatch();

        /** A claimed event not finished within this time is claimed again (crash recovery). */
        @WithDefault("2m")
        Duration claimLease();

        /** Durable retry after the in-memory redeliveries: first delay, doubled up to the cap. */
        @WithDefault("5s")
        Duration retryDelay();

        @WithDefault("10m")
        Duration retryDelayCap();

        /** Transient failures past this many attempts become dead letters. */
        @WithDefault("50")
        int maxAttempts();
    }

    /** Odoo → channels: change detection, safety stock, the nightly reconciliation. */
    interface Channels {
        /** Time between two looks for changed products and stock in Odoo (read by the odoo-catalog-poll route). */
        @WithConverter(TimerDuration.class)
        Duration pollPeriod();

        /** Time after start-up before the first look (read by the route). */
        @WithConverter(TimerDuration.class)
        Duration pollDelay();

        /** Quartz cron of the full reconciliation of every channel (read by the channel-reconciliation route). */
        String reconcileSchedule();

        /** Units held back per channel against overselling ({@code safety-stock.ebay=2}): published = on hand − buffer, never below 0. */
        Map<String, Integer> safetyStock();

        /**
         * How far Odoo's clock may lag this service's: the first look for changes reaches back this far
         * before the service's first start.
         */
        @WithDefault("5m")
        Duration clockSkew();

        /** Odoo variants read per page by a full sync (pages are streamed, never the whole catalog). */
        @WithDefault("500")
        int pageSize();

        /** Calls one channel may have in flight at once during a push (each a batch of the channel's size). */
        @WithDefault("4")
        int batchesInFlight();
    }

    /** How pollers pace themselves and when their health raises an alert. */
    interface Polling {
        /** A poller that keeps finding nothing slows down, doubling its interval up to this many times the base. */
        @WithDefault("4")
        int idleBackoffCap();

        /** Consecutive failures of one poll that raise an alert. */
        @WithDefault("3")
        int failuresBeforeAlert();

        /** A peer answering slower than this raises an alert. */
        @WithDefault("10s")
        Duration slowPeer();

        /** More changes than this in one poll is an unusual burst, worth an alert. */
        @WithDefault("1000")
        int burst();
    }
}
