package io.marketbridge.ebay.listings;

import io.marketbridge.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.marketbridge.testsupport.Sandbox.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class ListingFlowPostgresTest extends ListingFlowContract {

    @Test
    void runsOnPostgres() {
        assertEquals("postgresql", admin("/status").getString("database"));
    }
}
