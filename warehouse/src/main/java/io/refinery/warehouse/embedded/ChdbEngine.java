package io.refinery.warehouse.embedded;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-process ClickHouse engine (chDB) over one data directory, with a small pool of connections.
 *
 * <p>chDB runs one engine per process and dislikes being shut down and booted again, so the engine
 * lives until the JVM exits; a shutdown hook closes every connection (libchdb crashes at exit
 * otherwise). An exclusive file lock makes a second process on the same directory fail fast.
 */
final class ChdbEngine implements AutoCloseable {

    private static final Pattern ERROR_CODE = Pattern.compile("Code: (\\d+)");
    private static final Pattern SET_STATEMENT = Pattern.compile("(?is)^\\s*SET\\s+(.*)$");
    private static final Pattern USE_STATEMENT = Pattern.compile("(?is)^\\s*USE\\s+.*$");

    private final ChdbNative chdb;
    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Held open for the engine's whole life: closing the last connection shuts chDB down. */
    private final MemorySegment anchor;
    private final BlockingQueue<PooledConnection> pool;
    private final List<PooledConnection> all = new ArrayList<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    ChdbEngine(Path library, Path dataDir, int poolSize) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dataDir);
            Path lockFile = this.dataDir.resolve("refinery.lock");
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            lock = lockChannel.tryLock();
            if (lock == null) {
                String holder = Files.readString(lockFile).trim();
                lockChannel.close();
                throw new WarehouseDirectoryInUseException(this.dataDir, holder);
            }
            lockChannel.truncate(0);
            lockChannel.write(java.nio.ByteBuffer.wrap(
                    ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock warehouse directory " + this.dataDir, e);
        }
        this.chdb = new ChdbNative(library);
        chdb.detachStandardInput();
        List<String> args = List.of("refinery", "--path=" + this.dataDir.resolve("chdb"));
        this.anchor = chdb.connect(args);
        this.pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            PooledConnection connection = new PooledConnection(chdb.connect(args));
            all.add(connection);
            pool.add(connection);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    /**
     * Runs one statement in {@code database} with per-request {@code settings}; the connection is
     * returned to the pool with its session state (database, settings) put back.
     */
    <T> T execute(Statement statement, ResultHandler<T> handler) throws ChdbException {
        var read = lifecycle.readLock();
        read.lock();
        try {
            if (closed) {
                throw new ChdbException(210, "the embedded warehouse is shut down");
            }
            PooledConnection connection = borrow();
            try {
                return connection.run(statement, handler);
            } finally {
                pool.add(connection);
            }
        } finally {
            read.unlock();
        }
    }

    private PooledConnection borrow() throws ChdbException {
        try {
            PooledConnection connection = pool.poll(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS);
            if (connection == null) {
                throw new ChdbException(159, "no embedded warehouse connection became free within 10 minutes");
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChdbException(394, "interrupted while waiting for a warehouse connection");
        }
    }

    /** Waits for running statements, then closes every connection. Idempotent. */
    @Override
    public void close() {
        var write = lifecycle.writeLock();
        try {
            if (!write.tryLock(30, TimeUnit.SECONDS)) {
                return; // a statement is stuck; exiting without closing is safer than closing under it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PooledConnection connection : all) {
                chdb.close(connection.handle);
            }
            chdb.close(anchor);
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the lock dies with the process anyway
        } finally {
            write.unlock();
        }
    }

    /** One statement as the HTTP interface receives it. */
    record Statement(byte[] sql, String format, String database, Map<String, String> settings,
                     List<String> paramNames, List<byte[]> paramValues) {
    }

    /** Consumes a successful native result while it is still alive. */
    @FunctionalInterface
    interface ResultHandler<T> {
        T handle(ChdbNative.Result result) throws IOException;
    }

    /** A failed statement, with ClickHouse's error code and message. */
    static final class ChdbException extends Exception {
        private final int code;

        ChdbException(int code, String message) {
            super(message);
            this.code = code;
        }

        int code() {
            return code;
        }

        static ChdbException of(String message) {
            Matcher m = ERROR_CODE.matcher(message);
            return new ChdbException(m.find() ? Integer.parseInt(m.group(1)) : 1000, message);
        }
    }

    private final class PooledConnection {
        private final MemorySegment handle;
        private String database;
        private final Set<String> changedSettings = new HashSet<>();

        PooledConnection(MemorySegment handle) {
            this.handle = handle;
        }

        <T> T run(Statement statement, ResultHandler<T> handler) throws ChdbException {
            try {
                if (!statement.database().equals(database)) {
                    control("USE " + quoteIdentifier(statement.database()));
                    database = statement.database();
                }
                for (var setting : statement.settings().entrySet()) {
                    changedSettings.add(setting.getKey());
                    control("SET " + setting.getKey() + " = " + quoteLiteral(setting.getValue()));
                }
                noteSessionChanges(new String(statement.sql(), 0, Math.min(statement.sql().length, 4096),
                        StandardCharsets.UTF_8));
                try (ChdbNative.Result result = chdb.query(handle, statement.sql(), statement.format(),
                        statement.paramNames(), statement.paramValues())) {
                    String error = result.error();
                    if (error != null) {
                        throw ChdbException.of(error);
                    }
                    return handler.handle(result);
                } catch (IOException e) {
                    throw new ChdbException(1001, "writing the result failed: " + e.getMessage());
                }
            } finally {
                resetSettings();
            }
        }

        /** A statement that is itself SET or USE changes the session: remember to put it back. */
        private void noteSessionChanges(String sqlHead) {
            Matcher set = SET_STATEMENT.matcher(sqlHead);
            if (set.matches()) {
                for (String assignment : set.group(1).split(",")) {
                    int eq = assignment.indexOf('=');
                    if (eq > 0) {
                        changedSettings.add(assignment.substring(0, eq).trim());
                    }
                }
            } else if (USE_STATEMENT.matcher(sqlHead).matches()) {
                database = null;
            }
        }

        private void resetSettings() {
            for (var it = changedSettings.iterator(); it.hasNext(); ) {
                String name = it.next();
                it.remove();
                try {
                    control("SET " + name + " = DEFAULT");
                } catch (ChdbException ignored) {
                    // an unknown setting was never set
                }
            }
        }

        private void control(String sql) throws ChdbException {
            try (ChdbNative.Result result = chdb.query(handle, sql.getBytes(StandardCharsets.UTF_8), "TSV",
                    List.of(), List.of())) {
                String error = result.error();
                if (error != null) {
                    throw ChdbException.of(error);
                }
            }
        }
    }

    static String quoteIdentifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
