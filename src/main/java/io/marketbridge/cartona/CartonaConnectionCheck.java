package io.marketbridge.cartona;

import io.marketbridge.admin.PeerCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** The supplier account: one page of one product with the configured token (a 401 names the token setting). */
@Singleton
public class CartonaConnectionCheck implements PeerCheck {

    private final CartonaConfig config;
    private final Instance<CartonaConnector> cartona;

    CartonaConnectionCheck(CartonaConfig config, Instance<CartonaConnector> cartona) {
        this.config = config;
        this.cartona = cartona;
    }

    @Override
    public String peer() {
        return CartonaConnector.PEER;
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Connection check() {
        return Connection.of(peer(), "supplier-integrations", () -> {
            cartona.get().checkConnection();
            return Answer.ok();
        });
    }
}
