package io.marketbridge.ebay.listings;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.marketbridge.testsupport.Sandbox.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class ListingFlowH2Test extends ListingFlowContract {

    @Test
    void runsOnH2() {
        assertEquals("h2", admin("/status").getString("database"));
    }
}
