package io.marketbridge.pipeline;

import jakarta.inject.Singleton;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Flows added without touching the event router: a route whose id is {@code on-<event type>} (e.g.
 * {@code on-ebay.ItemSuspended}, in a new file under {@code routes/}) handles that type. Events of the
 * type that were dead-lettered before the route existed are processed by replaying them.
 */
@Singleton
@Named("addedFlows")
public class AddedFlows {

    static final String PREFIX = "on-";

    private final CamelContext camel;

    AddedFlows(CamelContext camel) {
        this.camel = camel;
    }

    /** The endpoint of the added route that handles this event's type, or null when there is none. */
    public String endpointFor(InboxEvent event) {
        Route route = camel.getRoute(PREFIX + event.type());
        return route == null ? null : route.getEndpoint().getEndpointUri();
    }
}
