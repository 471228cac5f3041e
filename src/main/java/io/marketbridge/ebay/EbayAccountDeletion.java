package io.marketbridge.ebay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.odoo.OdooCatalog;
import io.marketbridge.odoo.OdooPartners;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.PersonalData;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * MARKETPLACE_ACCOUNT_DELETION: an eBay user closed their account, and everything personal we or
 * Odoo hold about them as a buyer goes. Partners and orders stay (the books need them), under a
 * pseudonym; the deletion request itself is reduced to what was done.
 */
@Singleton
@Named("ebayAccountDeletion")
public class EbayAccountDeletion {

    private static final Logger LOG = Logger.getLogger(EbayAccountDeletion.class);

    private final OdooPartners partners;
    private final PersonalData store;
    private final ObjectMapper json;

    EbayAccountDeletion(OdooPartners partners, PersonalData store, ObjectMapper json) {
        this.partners = partners;
        this.store = store;
        this.json = json;
    }

    public void erase(InboxEvent event) throws SQLException {
        String username = username(event);
        // Derived from the request, not the person: a retry reuses it, and it reveals nothing
        String pseudonym = "erased_" + Digests.sha256Hex(event.key()).substring(0, 16);
        int erasedPartners = partners.erase("ebay_buyer_" + username, OdooCatalog.externalIdName("ebay_buyer_", username),
                "ebay_buyer_" + pseudonym, OdooCatalog.externalIdName("ebay_buyer_", pseudonym), "Erased eBay buyer");
        int erasedEvents = store.erase(EbayBuyerData.subject(username), EbayBuyerData.subject(pseudonym),
                payload -> EbayBuyerData.scrubOrder(payload, pseudonym));
        try {
            store.replacePayload(event.id(), json.writeValueAsString(Map.of("eventName", "MARKETPLACE_ACCOUNT_DELETION",
                    "pseudonym", pseudonym, "odooPartners", erasedPartners, "storedEvents", erasedEvents)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("eBay account deletion %s carried out: %d Odoo partner(s) and %d stored event(s) anonymised as %s",
                event.key(), erasedPartners, erasedEvents, pseudonym);
    }

    private String username(InboxEvent event) {
        try {
            JsonNode stored = json.readTree(event.payload());
            JsonNode push = json.readTree(stored.path("raw").asText("{}"));
            String username = push.path("notification").path("data").path("username").asText("");
            if (username.isBlank()) {
                throw new PermanentFailure("ebay", "MARKETPLACE_ACCOUNT_DELETION " + event.key() + " names no data.username");
            }
            return username;
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "MARKETPLACE_ACCOUNT_DELETION " + event.key() + " is unreadable: " + e.getMessage());
        }
    }
}
