package io.marketbridge.pipeline;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ResilienceH2Test extends ResilienceContract {
}
