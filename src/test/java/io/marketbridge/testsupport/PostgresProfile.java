package io.marketbridge.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** Runs a test class against a real PostgreSQL instead of the embedded H2. */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresResource.class));
    }
}
