package io.refinery.ingestion.admin;

import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.Secrets;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code routeSources} health component (part of readiness): every route that should run can
 * reach its source. MQTT and REST routes: a TCP connection to the broker or host; JDBC routes: a
 * connection that answers {@code isValid}. File-drop routes: the inbox is a readable directory.
 * Stopped routes do not count. Results are kept for a few seconds, so frequent probes do not
 * hammer the sources.
 */
@Component("routeSources")
class RouteSourcesHealthIndicator extends AbstractHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KEEP = Duration.ofSeconds(5);

    private final RouteAdmin admin;
    private final Secrets secrets;
    private volatile Map<String, String> last;
    private volatile Instant lastAt = Instant.EPOCH;

    RouteSourcesHealthIndicator(RouteAdmin admin, Secrets secrets) {
        super("route sources health check failed");
        this.admin = admin;
        this.secrets = secrets;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> problems = problems();
        builder.status(problems.values().stream().allMatch("reachable"::equals) ? "UP" : "DOWN");
        problems.forEach(builder::withDetail);
    }

    /** Route id → "reachable" or why not, for the routes that should run. */
    private synchronized Map<String, String> problems() {
        if (last != null && Instant.now().isBefore(lastAt.plus(KEEP))) {
            return last;
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (RouteView route : admin.list()) {
            if (RouteView.STARTED.equals(route.desiredState())) {
                result.put(route.definition().id(), check(route.definition()));
            }
        }
        last = result;
        lastAt = Instant.now();
        return result;
    }

    /** Drops the kept result: the next check asks the sources again. */
    synchronized void forget() {
        last = null;
    }

    private String check(RouteDefinition route) {
        try {
            return switch (route.kind()) {
                case MQTT -> tcp(URI.create(route.option("brokerUrl", "")), 1883);
                case REST -> tcp(URI.create(route.option("url", "")), -1);
                case JDBC -> jdbc(route);
                case FILE_DROP -> java.nio.file.Files.isReadable(java.nio.file.Path.of(route.option("inbox", "")))
                        ? "reachable" : "inbox not readable";
            };
        } catch (Exception e) {
            return "unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String tcp(URI uri, int defaultPort) throws Exception {
        int port = uri.getPort() > 0 ? uri.getPort()
                : defaultPort > 0 ? defaultPort : "https".equals(uri.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) TIMEOUT.toMillis());
        }
        return "reachable";
    }

    private String jdbc(RouteDefinition route) throws Exception {
        Properties credentials = new Properties();
        String user = route.option("username", null);
        String secret = route.option("passwordSecret", null);
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (secret != null) {
            credentials.setProperty("password", secrets.require(secret));
        }
        try (Connection connection = DriverManager.getConnection(route.option("jdbcUrl", ""), credentials)) {
            return connection.isValid((int) TIMEOUT.toSeconds()) ? "reachable" : "connection not valid";
        }
    }
}
