package io.marketbridge.odoo;

import io.marketbridge.admin.PeerCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** The Odoo connection: version, then a login through the configured transport. */
@Singleton
public class OdooConnectionCheck implements PeerCheck {

    private final OdooConfig config;
    private final Instance<OdooClient> odoo;

    OdooConnectionCheck(OdooConfig config, Instance<OdooClient> odoo) {
        this.config = config;
        this.odoo = odoo;
    }

    @Override
    public String peer() {
        return "odoo";
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Connection check() {
        return Connection.of(peer(), null, () -> {
            OdooClient client = odoo.get();
            OdooVersion version = client.ping();
            return new Answer(version.serverVersion(), client.api(), null);
        });
    }
}
