package io.marketbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The service's own settings, under {@code marketbridge.*}; each peer's are its own mapping in its
 * package ({@code OdooConfig}, {@code EbayConfig}, ...). Each one can be set by environment variable
 * ({@code marketbridge.odoo.url} is {@code MARKETBRIDGE_ODOO_URL}). Required settings are checked at
 * start-up by {@link RequiredSettings}.
 * Times are durations ({@code 5m}, {@code 30s}, {@code 500ms}); those a route's timer reads too are
 * {@link TimerDuration}s, which Camel reads the same way.
 */
@ConfigMapping(prefix = "marketbridge")
public interface MarketbridgeConfig {

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
