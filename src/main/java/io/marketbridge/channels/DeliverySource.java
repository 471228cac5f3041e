package io.marketbridge.channels;

import java.util.Collection;
import java.util.Set;

/**
 * What the system of record says of the channels' orders' deliveries (Odoo's {@code OdooChannelDeliveries}).
 * A channel's own polls read it through this, so they know no peer.
 */
public interface DeliverySource {

    /** Of the channel's orders, those whose sale order has outgoing deliveries, all of them done. */
    Set<String> shippedOrders(String channel, Collection<String> orderIds);
}
