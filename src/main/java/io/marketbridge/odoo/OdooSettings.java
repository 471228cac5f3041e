package io.marketbridge.odoo;

import io.marketbridge.odoo.OdooConfig.OdooApi;

import java.net.URI;
import java.time.Duration;

/** The connection settings a client is built from; {@code toString} never shows the secret. */
public record OdooSettings(URI url, String database, String username, String secret, boolean secretIsApiKey,
        OdooApi api, Duration timeout) {

    public static OdooSettings from(OdooConfig odoo) {
        return new OdooSettings(odoo.url().orElseThrow(), odoo.database().orElseThrow(), odoo.username().orElseThrow(),
                odoo.apiKey().or(odoo::password).orElseThrow(), odoo.apiKey().isPresent(), odoo.api(), odoo.timeout());
    }

    URI endpoint(String path) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    @Override
    public String toString() {
        return "OdooSettings[url=" + url + ", database=" + database + ", username=" + username + ", api=" + api + "]";
    }
}
