package io.marketbridge.admin;

import io.marketbridge.admin.PeerCheck.Connection;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.List;

/** "Test connection" for every enabled peer: reachable, version, latency, and the error if any. */
@Singleton
@Named("connectionTest")
public class ConnectionTest {

    private final List<PeerCheck> checks;

    ConnectionTest(Instance<PeerCheck> checks) {
        this.checks = checks.stream().sorted(Comparator.comparingInt(PeerCheck::order)).toList();
    }

    public List<Connection> testAll() {
        return checks.stream().filter(PeerCheck::enabled).map(PeerCheck::check).toList();
    }
}
