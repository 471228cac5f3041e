package io.marketbridge.medusa;

import io.marketbridge.testsupport.RealMedusaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Medusa contract against a real Medusa 2.21.2, installed from the npm registry and started once for this class
 * by {@link RealMedusaResource} (its own PostgreSQL, free ports): what passes here is what Medusa itself accepts.
 */
@QuarkusTest
@QuarkusTestResource(value = RealMedusaResource.class, restrictToAnnotatedClass = true)
class MedusaConnectorRealTest extends MedusaConnectorContract {
}
