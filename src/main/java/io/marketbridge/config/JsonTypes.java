package io.marketbridge.config;

import io.marketbridge.admin.AdminStatus;
import io.marketbridge.admin.ConnectionTest;
import io.marketbridge.channels.CatalogItem;
import io.marketbridge.channels.ChannelSync;
import io.marketbridge.channels.PlanEntry;
import io.marketbridge.channels.PushResult;
import io.marketbridge.ebay.EbayCategoryImport;
import io.marketbridge.ebay.EbayInventoryPoller;
import io.marketbridge.ebay.EbayListingsBackfill;
import io.marketbridge.ebay.EbayNotificationSubscriptions;
import io.marketbridge.ebay.EbayQuotas;
import io.marketbridge.ebay.EbaySellerConnection;
import io.marketbridge.medusa.MedusaConnector;
import io.marketbridge.model.EbayListing;
import io.marketbridge.model.EbayNotification;
import io.marketbridge.model.InboundEvent;
import io.marketbridge.odoo.OdooVersion;
import io.marketbridge.pipeline.Alerts;
import io.marketbridge.pipeline.DeadLetters;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.PollHealth;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records Jackson reads or writes: event payloads in the inbox and what the admin API answers.
 * A native image keeps a record's constructor and accessors for Jackson only when it is listed here;
 * the JVM build needs none of this, so a record missing here fails in the native container alone.
 */
@RegisterForReflection(targets = {
        InboundEvent.class, EbayListing.class, EbayListing.Variation.class, EbayNotification.class,
        AdminStatus.Flow.class, AdminStatus.EventType.class, AdminStatus.Cursor.class, ConnectionTest.Connection.class,
        OdooVersion.class, DeadLetters.DeadLetter.class, Inbox.Depth.class, Alerts.Alert.class, PollHealth.Result.class,
        CatalogItem.class, PlanEntry.class, PushResult.class, ChannelSync.Totals.class, MedusaConnector.ProductPlan.class,
        EbayCategoryImport.Result.class, EbayInventoryPoller.PollReport.class, EbayInventoryPoller.QuantityDifference.class,
        EbayListingsBackfill.Run.class, EbayListingsBackfill.Progress.class, EbayNotificationSubscriptions.Subscription.class,
        EbayQuotas.Budget.class, EbaySellerConnection.Connected.class})
public final class JsonTypes {

    private JsonTypes() {
    }
}
