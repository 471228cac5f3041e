package io.marketbridge.ebay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.ebay.orders.EbayBuyerData;
import io.marketbridge.model.AccountErasure;
import io.marketbridge.pipeline.Digests;
import io.marketbridge.pipeline.Inbox;
import io.marketbridge.pipeline.InboxEvent;
import io.marketbridge.pipeline.PermanentFailure;
import io.marketbridge.pipeline.PersonalData;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MARKETPLACE_ACCOUNT_DELETION: an eBay user closed their account, and everything personal we or
 * Odoo hold about them as a buyer goes. Partners and orders stay (the books need them), under a
 * pseudonym; the deletion request itself is reduced to what was done.
 */
@Singleton
@Named("ebayAccountDeletion")
public class EbayAccountDeletion {

    private static final Logger LOG = Logger.getLogger(EbayAccountDeletion.class);
    /** eBay buyers are partners keyed ebay_buyer_<username> (ref and external id). */
    public static final String BUYER_KEY = "ebay_buyer_";

    private final PersonalData store;
    private final ObjectMapper json;

    EbayAccountDeletion(PersonalData store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /** The deletion request as the buyer identities to erase, each with its own pseudonym. */
    public AccountErasure erasures(InboxEvent event) {
        // eBay sends some applications an immutable user id in an order's buyer.username: the buyer may be
        // known to us by either, so both are erased
        Set<String> identities = identities(event);
        // Derived from the request, not the person: a retry reuses it, and it reveals nothing
        String pseudonym = "erased_" + Digests.sha256Hex(event.key()).substring(0, 16);
        List<AccountErasure.Party> parties = new ArrayList<>();
        for (String identity : identities) {
            // one pseudonym per identity: a buyer known both ways has two partners, each keeps its own external id
            String as = parties.isEmpty() ? pseudonym : pseudonym + "_" + (parties.size() + 1);
            parties.add(new AccountErasure.Party(BUYER_KEY, identity, as, "Erased eBay buyer"));
        }
        return new AccountErasure(event.key(), pseudonym, parties);
    }

    /** Our own copies: the stored events naming the buyer are scrubbed, and the request is reduced to what was done. */
    public void eraseStoredData(AccountErasure erasure, @ExchangeProperty(Inbox.EVENT) InboxEvent event,
            @ExchangeProperty(AccountErasure.PARTNERS_ERASED) int erasedPartners) throws SQLException {
        int erasedEvents = 0;
        for (AccountErasure.Party party : erasure.parties()) {
            erasedEvents += store.erase(EbayBuyerData.subject(party.identity()), EbayBuyerData.subject(party.pseudonym()),
                    payload -> EbayBuyerData.scrubOrder(payload, party.pseudonym()));
        }
        try {
            store.replacePayload(event.id(), json.writeValueAsString(Map.of("eventName", "MARKETPLACE_ACCOUNT_DELETION",
                    "pseudonym", erasure.pseudonym(), "odooPartners", erasedPartners, "storedEvents", erasedEvents)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("eBay account deletion %s carried out: %d Odoo partner(s) and %d stored event(s) anonymised as %s",
                erasure.request(), erasedPartners, erasedEvents, erasure.pseudonym());
    }

    /** The user's name and immutable id ({@code data.username}, {@code data.userId}), whichever are given. */
    private Set<String> identities(InboxEvent event) {
        try {
            JsonNode stored = json.readTree(event.payload());
            JsonNode data = json.readTree(stored.path("raw").asText("{}")).path("notification").path("data");
            Set<String> identities = new LinkedHashSet<>();
            for (String field : List.of("username", "userId")) {
                String value = data.path(field).asText("");
                if (!value.isBlank()) {
                    identities.add(value);
                }
            }
            if (identities.isEmpty()) {
                throw new PermanentFailure("ebay", "MARKETPLACE_ACCOUNT_DELETION " + event.key() + " names no data.username or data.userId");
            }
            return identities;
        } catch (IOException e) {
            throw new PermanentFailure("ebay", "MARKETPLACE_ACCOUNT_DELETION " + event.key() + " is unreadable: " + e.getMessage());
        }
    }
}
