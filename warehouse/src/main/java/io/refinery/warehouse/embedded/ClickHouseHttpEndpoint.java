package io.refinery.warehouse.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A loopback ClickHouse HTTP interface over the embedded engine, so that the unmodified ClickHouse
 * JDBC driver and client-v2 talk to chDB exactly as to a server.
 *
 * <p>What the clients rely on: SQL in the POST body, or an INSERT head in {@code query} with the
 * data as body; the database in {@code X-ClickHouse-Database}; the output format in
 * {@code X-ClickHouse-Format}; settings as URL parameters and query parameters as {@code param_*};
 * errors with {@code X-ClickHouse-Exception-Code}; and {@code X-ClickHouse-Summary} with the rows
 * written, without which update counts read as 0. Every request is answered: a dropped connection
 * makes client-v2 shun the endpoint for 30 s. ClickHouse's LZ4 block compression is supported both
 * ways ({@link NativeCompression}); the in-process clients turn it off, as it only costs CPU on loopback.
 */
final class ClickHouseHttpEndpoint implements AutoCloseable {

    /** URL parameters of the HTTP interface itself; every other one is a setting. */
    private static final Set<String> PROTOCOL_PARAMS = Set.of("query", "database", "default_format", "user",
            "password", "query_id", "session_id", "session_timeout", "session_check", "compress", "decompress",
            "buffer_size", "wait_end_of_query", "enable_http_compression", "http_headers_progress_interval_ms",
            "send_progress_in_http_headers", "client_protocol_version", "role", "default_database",
            "http_response_buffer_size", "http_wait_end_of_query", "result_overflow_mode_summary", "extremes_mode");
    private static final int PEEK_BYTES = 1 << 20;
    /** Announced to clients; below the JDK server's own 30-s idle close (see {@link #handle}). */
    private static final int KEEP_ALIVE_SECONDS = 10;

    private final ChdbEngine engine;
    private final String user;
    private final byte[] passwordDigest;
    private final String defaultDatabase;
    private final String timezone;
    private final Path spoolDir;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicLong spoolCounter = new AtomicLong();

    ClickHouseHttpEndpoint(ChdbEngine engine, int port, String user, String password, String defaultDatabase,
                           int threads) throws IOException {
        this.engine = engine;
        this.user = user;
        this.passwordDigest = sha256(password);
        this.defaultDatabase = defaultDatabase;
        this.spoolDir = Files.createDirectories(engine.dataDir().resolve("spool"));
        try (var stale = Files.list(spoolDir)) {
            stale.forEach(ClickHouseHttpEndpoint::deleteQuietly);
        }
        this.timezone = queryScalar("SELECT timezone()");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("chdb-http-", 0).daemon().factory());
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private String queryScalar(String sql) {
        try {
            return engine.execute(new ChdbEngine.Statement(sql.getBytes(StandardCharsets.UTF_8), "TSV", "default",
                    Map.of(), List.of(), List.of()), r -> new String(r.data().toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).strip());
        } catch (ChdbEngine.ChdbException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            // The JDK server closes a connection idle for 30 s (sun.net.httpserver.idleInterval); a client that
            // reuses one it has just closed fails with a broken pipe. Announcing a shorter keep-alive, as a
            // ClickHouse server does (10 s), makes the drivers' connection pools retire them first.
            exchange.getResponseHeaders().set("Keep-Alive", "timeout=" + KEEP_ALIVE_SECONDS);
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/ping") || (path.equals("/") && exchange.getRequestURI().getRawQuery() == null
                    && exchange.getRequestMethod().equals("GET"))) {
                respond(exchange, 200, "Ok.\n");
                return;
            }
            if (!path.equals("/")) {
                error(exchange, 404, 0, "There is no handle " + path);
                return;
            }
            Map<String, String> params = parseQuery(exchange.getRequestURI().getRawQuery());
            if (!authenticated(exchange, params)) {
                error(exchange, 401, 516, "Code: 516. DB::Exception: " + user
                        + ": Authentication failed: password is incorrect, or there is no user with such name."
                        + " (AUTHENTICATION_FAILED)");
                return;
            }
            runQuery(exchange, params);
        } catch (Throwable t) {
            try {
                error(exchange, 500, 1002, "Code: 1002. DB::Exception: embedded endpoint failure: " + t);
            } catch (IOException ignored) {
                // the client has gone away
            }
        }
    }

    private void runQuery(HttpExchange exchange, Map<String, String> params) throws IOException {
        var headers = exchange.getRequestHeaders();
        String database = firstNonBlank(headers.getFirst("X-ClickHouse-Database"), params.get("database"),
                defaultDatabase);
        String format = firstNonBlank(headers.getFirst("X-ClickHouse-Format"), params.get("default_format"),
                "TabSeparated");
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> paramNames = new ArrayList<>();
        List<byte[]> paramValues = new ArrayList<>();
        params.forEach((name, value) -> {
            if (name.startsWith("param_")) {
                paramNames.add(name.substring("param_".length()));
                paramValues.add(value.getBytes(StandardCharsets.UTF_8));
            } else if (!PROTOCOL_PARAMS.contains(name)) {
                settings.put(name, value);
            }
        });
        boolean compressedBody = isTrue(params.get("decompress"));
        boolean compressResponse = isTrue(params.get("compress"));
        Path spool = null;
        try (InputStream body = new BufferedInputStream(compressedBody ? NativeCompression.decompress(decoded(exchange))
                : decoded(exchange), 1 << 16)) {
            byte[] sql;
            String queryParam = params.get("query");
            InsertSplitter.Split urlInsert = queryParam == null || queryParam.isBlank() ? null
                    : InsertSplitter.split(latin1(queryParam));
            if (urlInsert != null) {
                // client-v2 insert: the statement in the URL, the data as the body
                spool = spool(new byte[0], 0, 0, body);
                sql = urlInsert.fromInfile(spool.toString()).getBytes(StandardCharsets.UTF_8);
            } else if (queryParam != null && InsertSplitter.readsInput(queryParam)) {
                // INSERT … SELECT … FROM input(…): the body is the data the SELECT transforms
                spool = spool(new byte[0], 0, 0, body);
                sql = InsertSplitter.inputToFile(queryParam, spool.toString()).getBytes(StandardCharsets.UTF_8);
            } else {
                byte[] head = body.readNBytes(PEEK_BYTES);
                byte[] prefix = queryParam == null ? new byte[0] : (queryParam + "\n").getBytes(StandardCharsets.UTF_8);
                byte[] text = concat(prefix, head);
                InsertSplitter.Split split = InsertSplitter.split(new String(text, StandardCharsets.ISO_8859_1));
                if (split != null) {
                    spool = spool(text, split.dataOffset(), text.length - split.dataOffset(), body);
                    sql = split.fromInfile(spool.toString()).getBytes(StandardCharsets.UTF_8);
                } else {
                    sql = concat(text, body.readAllBytes());
                }
            }
            execute(exchange, new ChdbEngine.Statement(sql, format, database, settings, paramNames, paramValues),
                    format, params.get("query_id"), compressResponse);
        } finally {
            if (spool != null) {
                deleteQuietly(spool);
            }
        }
    }

    private void execute(HttpExchange exchange, ChdbEngine.Statement statement, String format, String queryId,
                         boolean compressResponse) throws IOException {
        String id = queryId != null ? queryId : UUID.randomUUID().toString();
        var out = exchange.getResponseHeaders();
        out.set("X-ClickHouse-Query-Id", id);
        out.set("X-ClickHouse-Timezone", timezone);
        out.set("X-ClickHouse-Server-Display-Name", "refinery-embedded");
        try {
            engine.execute(statement, result -> {
                MemorySegment data = result.data();
                out.set("X-ClickHouse-Format", format);
                out.set("Content-Type", contentType(format));
                out.set("X-ClickHouse-Summary", summary(result, data.byteSize()));
                if (compressResponse && data.byteSize() > 0) {
                    // small enough to frame in memory: results are materialised by chDB anyway
                    java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
                    byte[] plain = data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    NativeCompression.compress(plain, 0, plain.length, framed);
                    exchange.sendResponseHeaders(200, framed.size());
                    try (OutputStream os = exchange.getResponseBody()) {
                        framed.writeTo(os);
                    }
                    return null;
                }
                exchange.sendResponseHeaders(200, data.byteSize() == 0 ? -1 : data.byteSize());
                if (data.byteSize() > 0) {
                    try (OutputStream os = exchange.getResponseBody();
                         WritableByteChannel channel = Channels.newChannel(os)) {
                        var buffer = data.asByteBuffer();
                        while (buffer.hasRemaining()) {
                            channel.write(buffer);
                        }
                    }
                }
                return null;
            });
        } catch (ChdbEngine.ChdbException e) {
            error(exchange, httpStatus(e.code()), e.code(), e.getMessage());
        }
    }

    private static String summary(ChdbNative.Result result, long resultBytes) {
        long written = result.rowsWritten();
        return "{\"read_rows\":\"" + result.rowsRead() + "\",\"read_bytes\":\"" + result.bytesRead()
                + "\",\"written_rows\":\"" + written + "\",\"written_bytes\":\"" + result.bytesWritten()
                + "\",\"total_rows_to_read\":\"0\",\"result_rows\":\"" + (written > 0 ? written : result.rowsRead())
                + "\",\"result_bytes\":\"" + resultBytes + "\",\"elapsed_ns\":\""
                + (long) (result.elapsedSeconds() * 1e9) + "\"}";
    }

    private Path spool(byte[] first, int offset, int length, InputStream rest) throws IOException {
        Path file = spoolDir.resolve("insert-" + spoolCounter.incrementAndGet() + "-" + UUID.randomUUID() + ".bin");
        try (OutputStream os = Files.newOutputStream(file)) {
            os.write(first, offset, length);
            rest.transferTo(os);
        }
        return file;
    }

    private static InputStream decoded(HttpExchange exchange) throws IOException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        InputStream in = exchange.getRequestBody();
        if (encoding == null) {
            return in;
        }
        return switch (encoding.toLowerCase()) {
            case "gzip" -> new GZIPInputStream(in);
            case "deflate" -> new InflaterInputStream(in);
            default -> in;
        };
    }

    private boolean authenticated(HttpExchange exchange, Map<String, String> params) {
        var headers = exchange.getRequestHeaders();
        String givenUser = headers.getFirst("X-ClickHouse-User");
        String givenPassword = headers.getFirst("X-ClickHouse-Key");
        String authorization = headers.getFirst("Authorization");
        if (givenUser == null && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            givenUser = colon < 0 ? decoded : decoded.substring(0, colon);
            givenPassword = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        if (givenUser == null) {
            givenUser = params.getOrDefault("user", "default");
            givenPassword = params.getOrDefault("password", "");
        }
        return user.equals(givenUser) && MessageDigest.isEqual(passwordDigest,
                sha256(givenPassword == null ? "" : givenPassword));
    }

    private static int httpStatus(int code) {
        return switch (code) {
            case 60, 81 -> 404;            // UNKNOWN_TABLE, UNKNOWN_DATABASE
            case 62, 27, 6, 26, 53, 41, 38, 72, 117, 70, 47, 46 -> 400; // syntax and parse errors
            case 516 -> 401;
            default -> 500;
        };
    }

    private static String contentType(String format) {
        return switch (format) {
            case "JSON", "JSONEachRow", "JSONCompact", "JSONCompactEachRow" -> "application/json; charset=UTF-8";
            case "CSV", "CSVWithNames" -> "text/csv; charset=UTF-8";
            case "TabSeparated", "TSV", "TabSeparatedWithNames", "TSVWithNames" ->
                    "text/tab-separated-values; charset=UTF-8";
            default -> "application/octet-stream";
        };
    }

    private static void error(HttpExchange exchange, int status, int code, String message) throws IOException {
        exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(code));
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        respond(exchange, status, message.endsWith("\n") ? message : message + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static boolean isTrue(String flag) {
        return "1".equals(flag) || "true".equalsIgnoreCase(flag);
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String latin1(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool file is removed at the next start
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
