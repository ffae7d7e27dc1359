package io.refinery.warehouse.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The embedded warehouse: the ClickHouse engine in this process (chDB), reachable only from this
 * machine at {@code http://127.0.0.1:port} with a per-process random password.
 *
 * <p>One per process and one process per data directory; it lives until the JVM exits.
 */
public final class EmbeddedClickHouse {

    private static EmbeddedClickHouse running;

    private final ChdbEngine engine;
    private final ClickHouseHttpEndpoint endpoint;
    private final String user = "refinery";
    private final String password;

    private EmbeddedClickHouse(Options options) throws IOException {
        Path library = options.library() != null ? options.library() : ChdbLibrary.resolve(ChdbLibrary.defaultCacheDir());
        this.engine = new ChdbEngine(library, options.dataDir(), options.poolSize());
        if (options.password() != null && !options.password().isBlank()) {
            this.password = options.password();
        } else {
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            this.password = HexFormat.of().formatHex(secret);
        }
        this.endpoint = new ClickHouseHttpEndpoint(engine, options.port(), user, password, "default",
                options.poolSize() * 2);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("chdb-shutdown").unstarted(() -> {
            endpoint.close();
            engine.close();
        }));
    }

    /**
     * Starts the engine, or returns the running one when it uses the same data directory.
     *
     * @throws WarehouseDirectoryInUseException when another process holds the directory
     */
    public static synchronized EmbeddedClickHouse start(Options options) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        if (running != null) {
            if (!running.engine.dataDir().equals(dataDir)) {
                throw new IllegalStateException("the embedded warehouse already runs on " + running.engine.dataDir()
                        + "; one process serves one data directory (asked for " + dataDir + ")");
            }
            return running;
        }
        try {
            running = new EmbeddedClickHouse(new Options(dataDir, options.port(), options.poolSize(), options.library(),
                    options.password()));
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return endpoint.port();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A JDBC URL for {@code database}; compression is off because the endpoint does not frame LZ4. */
    public String jdbcUrl(String database) {
        return "jdbc:clickhouse://127.0.0.1:" + port() + "/" + database + "?compress=0";
    }

    public String user() {
        return user;
    }

    /** The endpoint's password, random per process; it never leaves the process except to the driver. */
    public String password() {
        return password;
    }

    public Path dataDir() {
        return engine.dataDir();
    }

    /**
     * Runs one statement directly on the engine, bypassing HTTP and JDBC: for benchmarks that
     * compare the two paths, and for tooling. Returns the output in {@code format}.
     */
    public String queryDirect(String sql, String format) {
        try {
            return engine.execute(new ChdbEngine.Statement(sql.getBytes(StandardCharsets.UTF_8), format, "default",
                    Map.of(), List.of(), List.of()), r -> new String(r.data().toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
        } catch (ChdbEngine.ChdbException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * How to start the engine. {@code port} 0 picks a free port; {@code library} null fetches and
     * caches libchdb; {@code password} null generates a random one for this process.
     */
    public record Options(Path dataDir, int port, int poolSize, Path library, String password) {
        public Options {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1");
            }
        }

        public Options(Path dataDir, int port, int poolSize, Path library) {
            this(dataDir, port, poolSize, library, null);
        }
    }
}
