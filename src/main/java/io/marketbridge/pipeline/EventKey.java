package io.marketbridge.pipeline;

import io.marketbridge.model.InboundEvent;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;

/**
 * The inbox key of the {@link InboundEvent} in the body: what the webhooks' idempotent consumers
 * deduplicate on ({@code ref: eventKey} in the routes). It means {@code ${body.key}}, read directly:
 * the simple language reads a body's property through reflection and a copy of the exchange, a
 * tenth of a webhook delivery's time.
 */
@Singleton
@Named("eventKey")
public class EventKey extends ExpressionAdapter {

    @Override
    public Object evaluate(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof InboundEvent event) {
            return event.key();
        }
        throw new IllegalStateException("expected an inbound event to deduplicate, got " + (body == null ? "no body" : body.getClass().getName()));
    }
}
