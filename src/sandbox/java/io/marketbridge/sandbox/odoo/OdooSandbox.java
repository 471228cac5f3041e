package io.marketbridge.sandbox.odoo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketbridge.sandbox.SandboxSettings;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Simulated Odoo servers, mounted only when the sandbox is switched on: the one the service
 * talks to at {@code /sandbox/odoo} (version from {@code marketbridge.sandbox.odoo.version}), and
 * one of each supported major version at {@code /sandbox/odoo-<version>} for contract tests.
 */
@Singleton
public class OdooSandbox {

    static final int[] VERSIONS = {16, 17, 18, 19};

    void mount(@Observes Router router, SandboxSettings sandbox, ObjectMapper json) {
        if (!sandbox.enabled()) {
            return;
        }
        Optional<Path> shapes = sandbox.odoo().callShapeLog();
        new OdooSimulator(json, sandbox.odoo().version(), shapes).mount(router, "/sandbox/odoo");
        for (int version : VERSIONS) {
            new OdooSimulator(json, version, shapes).mount(router, "/sandbox/odoo-" + version);
        }
    }
}
