package io.marketbridge.odoo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Odoo the service keeps in sync with the channels (16 to 19, over JSON-RPC or JSON-2): its
 * settings, under {@code marketbridge.odoo.*}. The required ones of an enabled Odoo are checked at
 * start-up by {@link OdooRequiredSettings}.
 */
@ConfigMapping(prefix = "marketbridge.odoo")
public interface OdooConfig {

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
