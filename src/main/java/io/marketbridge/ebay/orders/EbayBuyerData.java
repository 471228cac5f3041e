package io.marketbridge.ebay.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/** Where an eBay buyer's personal data sits in what we store, and how it is taken out. */
public final class EbayBuyerData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EbayBuyerData() {
    }

    /** The inbox subject of events carrying this buyer's data. */
    public static String subject(String username) {
        return username == null || username.isBlank() ? null : "ebay-buyer:" + username;
    }

    /**
     * A stored getOrders order without its buyer: the username becomes the pseudonym (so a pending
     * import still lands on the anonymised partner), the ship-to and checkout notes go.
     */
    public static String scrubOrder(String payload, String pseudonym) {
        try {
            JsonNode order = JSON.readTree(payload);
            if (!(order instanceof ObjectNode object)) {
                return "{}";
            }
            object.putObject("buyer").put("username", pseudonym);
            object.remove("buyerCheckoutNotes");
            for (JsonNode instruction : object.path("fulfillmentStartInstructions")) {
                if (instruction.path("shippingStep") instanceof ObjectNode step) {
                    step.remove("shipTo");
                }
            }
            return JSON.writeValueAsString(object);
        } catch (IOException e) {
            return "{}"; // unreadable: keep nothing rather than something personal
        }
    }
}
