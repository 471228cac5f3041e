package io.marketbridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The production build ({@code -Dproduction}: no simulators, no tests), made once per test run from a
 * copy of these sources in {@code target/production}, so the packaged-jar tests run the jar that ships
 * while this build's own {@code target/} stays as it is.
 */
final class ProductionBuild {

    /** What the build reads: everything but build output and version control. */
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", "data", "node_modules");

    private static Path jar;

    private ProductionBuild() {
    }

    /** The production build's runnable jar; builds it on first use (offline: the test build resolved everything). */
    static synchronized Path jar() throws IOException, InterruptedException {
        if (jar == null) {
            Path sources = Path.of("target", "production").toAbsolutePath();
            copySources(Path.of("").toAbsolutePath(), sources);
            Path log = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "production-build-", ".log");
            Process build = new ProcessBuilder("./mvnw", "-B", "-o", "package", "-Dproduction").directory(sources.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
                build.destroyForcibly();
                throw new IllegalStateException("the production build failed:\n" + Files.readString(log));
            }
            jar = sources.resolve("target/quarkus-app/quarkus-run.jar");
        }
        return jar;
    }

    private static void copySources(Path project, Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.filter(f -> !copy.equals(f) && notExcluded(project.relativize(f))).toList()) {
                Path target = copy.resolve(project.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean notExcluded(Path relative) {
        for (Path part : relative) {
            if (NOT_COPIED.contains(part.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The entries of the production build's application jar (the service's own classes and resources). */
    static List<String> applicationEntries() throws IOException, InterruptedException {
        try (var apps = Files.list(jar().getParent().resolve("app"))) {
            Path app = apps.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow();
            try (ZipFile zip = new ZipFile(app.toFile())) {
                return zip.stream().map(entry -> entry.getName()).toList();
            }
        }
    }
}
