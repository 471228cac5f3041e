package io.marketbridge.config;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The routes' timers read the durations written in application.properties ("100ms", "15m", "1h") as Camel 4 parses them. */
@QuarkusTest
class TimerPeriodsTest {

    @Inject
    CamelContext camel;

    @Test
    void timersReadDurationsAsWritten() {
        assertTimer("inbox-dispatch-timer", 100, 1_000);
        assertTimer("ebay-orders-poll", 300_000, 3_600_000);
        assertTimer("ebay-fulfilment-poll", 900_000, 3_600_000);
        assertTimer("odoo-ebay-deliveries-poll", 900_000, 3_600_000);
        assertTimer("ebay-quota-watch", 900_000, 10_000);
        assertTimer("ebay-inventory-poll", 1_800_000, 1_800_000);
        assertTimer("odoo-catalog-poll", 60_000, 3_600_000);
        assertTimer("medusa-orders-poll", 30_000, 3_600_000);
        assertTimer("odoo-medusa-deliveries-poll", 60_000, 3_600_000);
        assertTimer("sandbox-ebay-seller-activity", 5_000, 3_000); // the simulators' own settings (src/sandbox) too
    }

    private void assertTimer(String routeId, long period, long delay) {
        Endpoint endpoint = camel.getRoute(routeId).getEndpoint();
        // a poller's timer sits inside its master: endpoint (leader election)
        TimerEndpoint timer = (TimerEndpoint) (endpoint instanceof DelegateEndpoint master ? master.getEndpoint() : endpoint);
        assertEquals(period, timer.getPeriod(), routeId + " period");
        assertEquals(delay, timer.getDelay(), routeId + " delay");
    }
}
