package io.marketbridge.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The operator page at {@code /admin/} (behind the admin login, as all of /admin) and the landing page
 * at {@code /}: static files from {@code operator-page/} that read and act through the admin API only.
 * Served here rather than from META-INF/resources, where the embedded Hawtio's servlet container
 * would serve them under /hawtio.
 */
@Singleton
public class OperatorPage {

    void serve(@Observes Router router) {
        file(router, "/", "landing.html", "text/html");
        file(router, "/admin/", "index.html", "text/html");
        file(router, "/admin/admin.js", "admin.js", "text/javascript");
        file(router, "/admin/admin.css", "admin.css", "text/css");
        router.get("/admin").handler(ctx -> ctx.redirect("/admin/"));
    }

    private static void file(Router router, String path, String name, String type) {
        Buffer body = Buffer.buffer(read("operator-page/" + name));
        router.get(path).handler(ctx -> ctx.response()
                .putHeader("Content-Type", type + "; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(body));
    }

    private static byte[] read(String resource) {
        try (InputStream in = OperatorPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the build: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
