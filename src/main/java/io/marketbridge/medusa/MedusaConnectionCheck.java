package io.marketbridge.medusa;

import io.marketbridge.admin.PeerCheck;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** Medusa: the secret key and the stock location, with one read of the location. */
@Singleton
public class MedusaConnectionCheck implements PeerCheck {

    private final MedusaConfig config;
    private final Instance<MedusaConnector> medusa;

    MedusaConnectionCheck(MedusaConfig config, Instance<MedusaConnector> medusa) {
        this.config = config;
        this.medusa = medusa;
    }

    @Override
    public String peer() {
        return "medusa";
    }

    @Override
    public int order() {
        return 3;
    }

    @Override
    public boolean enabled() {
        return config.enabled();
    }

    @Override
    public Connection check() {
        return Connection.of(peer(), "admin", () -> Answer.problem(medusa.get().connectionProblem().orElse(null)));
    }
}
