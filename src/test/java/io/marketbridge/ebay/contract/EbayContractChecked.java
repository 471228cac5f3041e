package io.marketbridge.ebay.contract;

import io.marketbridge.pipeline.ContractCheckedPeerHttp;
import jakarta.enterprise.inject.spi.CDI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@code @QuarkusTest} of eBay flows implements this: after each test, every call its flows made to
 * the simulated eBay's REST APIs, and every answer, must have conformed to eBay's published contract.
 */
public interface EbayContractChecked {

    @BeforeEach
    default void forgetEarlierEbayTraffic() {
        CDI.current().select(ContractCheckedPeerHttp.class).get().clear();
    }

    @AfterEach
    default void ebayTrafficConformsToEbaysContracts() {
        ContractCheckedPeerHttp http = CDI.current().select(ContractCheckedPeerHttp.class).get();
        assertEquals("", String.join("\n", http.violations()), "eBay's OpenAPI contracts refused calls or answers");
    }
}
