package io.marketbridge.it;

import io.marketbridge.testsupport.Commands;
import io.marketbridge.testsupport.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production overlay's Jolokia settings (k8s/overlays/production), on the packaged jar: the agent
 * answers a client whose certificate the configured CA signed for Hawtio Online's name, and refuses
 * one signed for another name and one without a certificate.
 */
class JolokiaClientCertificatesIT {

    private static final String PASSWORD = "changeit";
    private static final int JOLOKIA_PORT = 28791;

    @TempDir
    Path dir;

    @Test
    void onlyHawtioOnlinesCertificateIsAnswered() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=Hawtio Online test CA", "-ext", "bc:c", "-keyalg", "RSA",
                "-validity", "2", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
        Path hawtio = client("hawtio", "CN=hawtio-online.hawtio.svc");
        Path intruder = client("intruder", "CN=intruder.example.com");

        // the overlay's settings, with the CA where this test wrote it
        Path settings = dir.resolve("jolokia.properties");
        Files.writeString(settings, Files.readString(Path.of("k8s/overlays/production/jolokia-client-certificates.properties"))
                .replace("/etc/marketbridge/hawtio-online-ca/ca.crt", dir.resolve("ca.crt").toString()));
        Map<String, String> env = new HashMap<>(PackagedPeers.serviceEnv(
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0", null, null));
        env.put("QUARKUS_CONFIG_LOCATIONS", settings.toString());
        env.put("QUARKUS_CAMEL_JOLOKIA_SERVER_PORT", String.valueOf(JOLOKIA_PORT));
        try (ServiceProcess service = new ServiceProcess("jolokia-tls", PackagedPeers.SERVICE_PORT, env).start()) {
            assertEquals(200, jolokia(hawtio), service.output());
            assertEquals(403, jolokia(intruder));
            assertEquals(403, jolokia(null));
            assertTrue(read(hawtio, "/jolokia/read/org.apache.camel:context=*,type=routes,name=*/State").contains("Started"),
                    "Hawtio reads the routes");
        }
    }

    /** A key pair for this subject, its certificate signed by the test CA for client authentication. */
    private Path client(String name, String subject) throws Exception {
        String keystore = name + ".p12";
        keytool("-genkeypair", "-alias", "client", "-dname", subject, "-keyalg", "RSA", "-validity", "2", "-keystore", keystore);
        keytool("-certreq", "-alias", "client", "-keystore", keystore, "-file", name + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile", name + ".crt",
                "-rfc", "-validity", "2", "-ext", "EKU=clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", keystore);
        keytool("-importcert", "-alias", "client", "-file", name + ".crt", "-keystore", keystore);
        return dir.resolve(keystore);
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Commands.run(dir, command.toArray(String[]::new));
    }

    private static int jolokia(Path clientKeystore) throws Exception {
        return connect(clientKeystore, "/jolokia/version").getResponseCode();
    }

    private static String read(Path clientKeystore, String path) throws Exception {
        try (InputStream body = connect(clientKeystore, path).getInputStream()) {
            return new String(body.readAllBytes());
        }
    }

    /** HTTPS to the agent, presenting this client certificate (or none); the agent's own certificate is self-made. */
    private static HttpsURLConnection connect(Path clientKeystore, String path) throws Exception {
        KeyManager[] keys = null;
        if (clientKeystore != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientKeystore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, PASSWORD.toCharArray());
            keys = factory.getKeyManagers();
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, new TrustManager[] {new TrustingAgent()}, null);
        HttpsURLConnection connection = (HttpsURLConnection) URI.create("https://localhost:" + JOLOKIA_PORT + path).toURL().openConnection();
        connection.setSSLSocketFactory(tls.getSocketFactory());
        connection.setHostnameVerifier((host, session) -> true);
        return connection;
    }

    /** Hawtio Online does not check the agent's certificate either: it is generated at each start. */
    private static final class TrustingAgent implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
