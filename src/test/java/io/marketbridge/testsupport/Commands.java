package io.marketbridge.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Tools the tests run (installers, checkers): a command's output, or an exception naming it and what it said. */
public final class Commands {

    private Commands() {
    }

    public static String run(Path directory, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("command", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(List.of(command) + " did not finish within 10 minutes");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(List.of(command) + " failed (" + process.exitValue() + "):\n" + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * The npm packages a check needs, from {@code source} (package.json and its lock file, exact
     * versions) installed with {@code npm ci} into {@code home} once; returns {@code home}.
     */
    public static synchronized Path npmInstall(Path source, Path home) throws IOException, InterruptedException {
        if (!Files.isDirectory(home.resolve("node_modules"))) {
            Files.createDirectories(home);
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(source.resolve(file), home.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            run(home, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        return home;
    }
}
