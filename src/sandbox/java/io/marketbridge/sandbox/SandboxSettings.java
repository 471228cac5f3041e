package io.marketbridge.sandbox;

import io.marketbridge.config.TimerDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The simulated peers' settings, under {@code marketbridge.sandbox.*}. They live with the
 * simulators, so a production build (which has no simulators) has none of them either.
 */
@ConfigMapping(prefix = "marketbridge.sandbox")
public interface SandboxSettings {

    /** Serves the simulated peers under /sandbox; never on in the production configuration. */
    @WithDefault("false")
    boolean enabled();

    /** Base URL of the simulators as the service reaches them. */
    Optional<String> url();

    Odoo odoo();

    Ebay ebay();

    Cartona cartona();

    interface Cartona {
        /**
         * Whether the simulated Cartona adds a product a bulk-update names but its supplier catalog does not hold
         * (the demo's supplier, whose Cartona catalog follows Odoo's); otherwise such an item is refused.
         */
        @WithDefault("false")
        boolean createUnknown();
    }

    interface Odoo {
        /** The Odoo major version simulated: 16/17 (type=product), 18 (is_storable), 19+ (JSON-2). */
        @WithDefault("17")
        int version();

        /** Where the simulator writes the shape of each call the service sends it (the tests' contract check). */
        Optional<Path> callShapeLog();
    }

    interface Ebay {
        /** The webhook the simulated seller delivers its Platform Notifications to. */
        Optional<String> notifyUrl();

        /** Whether the simulated seller lists and revises items by itself (the demo's trickle). */
        @WithDefault("false")
        boolean activity();

        /** Time between two simulated seller actions (also read by the sandbox-ebay-seller-activity route's timer). */
        @WithDefault("5s")
        @WithConverter(TimerDuration.class)
        Duration activityPeriod();

        /** Where the simulated consent page sends the seller back (the sandbox RuName's accept and decline URL). */
        Optional<String> acceptUrl();
    }
}
