package io.marketbridge.admin;

import io.marketbridge.cartona.CartonaConnector;
import io.marketbridge.config.MarketbridgeConfig;
import io.marketbridge.ebay.EbayApi;
import io.marketbridge.ebay.EbayTokens;
import io.marketbridge.medusa.MedusaConnector;
import io.marketbridge.odoo.OdooClient;
import io.marketbridge.odoo.OdooVersion;
import io.marketbridge.pipeline.PeerHttp;
import io.marketbridge.pipeline.SyncFailure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** "Test connection" for every enabled peer: reachable, version, latency, and the error if any. */
@Singleton
@Named("connectionTest")
public class ConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MarketbridgeConfig config;
    private final Instance<OdooClient> odoo;
    private final Instance<EbayApi> ebay;
    private final Instance<EbayTokens> ebayTokens;
    private final PeerHttp http;
    private final Instance<CartonaConnector> cartona;
    private final Instance<MedusaConnector> medusa;

    ConnectionTest(MarketbridgeConfig config, Instance<OdooClient> odoo, Instance<EbayApi> ebay, Instance<EbayTokens> ebayTokens,
            PeerHttp http, Instance<CartonaConnector> cartona, Instance<MedusaConnector> medusa) {
        this.config = config;
        this.odoo = odoo;
        this.ebay = ebay;
        this.ebayTokens = ebayTokens;
        this.http = http;
        this.cartona = cartona;
        this.medusa = medusa;
    }

    @RegisterForReflection
    public record Connection(String peer, boolean reachable, String version, String api, long latencyMs, String error) {
    }

    public List<Connection> testAll() {
        List<Connection> results = new ArrayList<>();
        if (config.odoo().enabled()) {
            results.add(odoo());
        }
        if (config.ebay().enabled()) {
            results.add(ebayTokens.get().sellerConnected() ? ebaySeller()
                    : reachable("ebay", config.ebay().apiUrl().orElse(config.ebay().environment().apiUrl)));
        }
        if (config.cartona().enabled()) {
            results.add(cartona());
        }
        if (config.medusa().enabled()) {
            results.add(medusa());
        }
        return results;
    }

    /** The Odoo connection: version, then a login through the configured transport. */
    public Connection odoo() {
        long start = System.nanoTime();
        try {
            OdooClient client = odoo.get();
            OdooVersion version = client.ping();
            return new Connection("odoo", true, version.serverVersion(), client.api(), millisSince(start), null);
        } catch (SyncFailure e) {
            return new Connection("odoo", answered(e), null, null, millisSince(start), e.getMessage());
        }
    }

    /** The connected seller: a user token, then one cheap Fulfillment call with it. */
    public Connection ebaySeller() {
        long start = System.nanoTime();
        try {
            ebay.get().get("/sell/fulfillment/v1/order?limit=1");
            return new Connection("ebay", true, "sell/fulfillment/v1", "rest", millisSince(start), null);
        } catch (SyncFailure e) {
            return new Connection("ebay", answered(e), null, "rest", millisSince(start), e.getMessage());
        }
    }

    /** The supplier account: one page of one product with the configured token (a 401 names the token setting). */
    public Connection cartona() {
        long start = System.nanoTime();
        try {
            cartona.get().checkConnection();
            return new Connection(CartonaConnector.PEER, true, null, "supplier-integrations", millisSince(start), null);
        } catch (SyncFailure e) {
            return new Connection(CartonaConnector.PEER, answered(e), null, "supplier-integrations", millisSince(start), e.getMessage());
        }
    }

    /** Medusa: the secret key and the stock location, with one read of the location. */
    public Connection medusa() {
        long start = System.nanoTime();
        try {
            String problem = medusa.get().connectionProblem().orElse(null);
            return new Connection("medusa", true, null, "admin", millisSince(start), problem);
        } catch (SyncFailure e) {
            return new Connection("medusa", answered(e), null, "admin", millisSince(start), e.getMessage());
        }
    }

    /** Any HTTP answer proves the peer is reachable; its REST APIs are checked by their flows. */
    private Connection reachable(String peer, URI url) {
        long start = System.nanoTime();
        try {
            int status = http.send(peer, HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build()).statusCode();
            return new Connection(peer, true, null, null, millisSince(start), status >= 500 ? "HTTP " + status : null);
        } catch (SyncFailure e) {
            return new Connection(peer, false, null, null, millisSince(start), e.getMessage());
        }
    }

    /** The peer answered, if with an error; PeerHttp gives transport failures their IOException as cause. */
    private static boolean answered(SyncFailure failure) {
        return !(failure.getCause() instanceof java.io.IOException);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
