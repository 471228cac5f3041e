package io.marketbridge.ebay;

import io.marketbridge.config.TimerDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The seller's eBay: the Trading and REST APIs, notifications, orders, fulfilment and categories. Its
 * settings, under {@code marketbridge.ebay.*}. The required ones of an enabled eBay are checked at
 * start-up by {@link EbayRequiredSettings}.
 */
@ConfigMapping(prefix = "marketbridge.ebay")
public interface EbayConfig {

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

        /**
         * The eBay poll re-reads this much before its cursor; duplicates are absorbed by the inbox. (Odoo's
         * deliveries are read by the channels' deliveries poll, 2 minutes of overlap, 7 days back at first.)
         */
        @WithDefault("2m")
        Duration overlap();

        /** How far back the very first eBay poll looks. */
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
