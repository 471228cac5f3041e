package io.marketbridge.pipeline;

import io.marketbridge.testsupport.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(PostgresProfile.class)
class ResiliencePostgresTest extends ResilienceContract {
}
