package io.refinery.warehouse.embedded;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The slice of chDB's C API (chdb.h, 26.x "chdb_connection" family) that the embedded engine needs,
 * bound with the FFM API. One instance per process: chDB runs one engine per process.
 */
final class ChdbNative {

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * Signals whose handlers the JVM relies on (implicit null checks, safepoints, thread suspension,
     * thread dumps, shutdown hooks). chDB's connect installs its own handlers for several of them,
     * after which the JVM hangs or dies, so they are saved before connecting and put back after.
     */
    private static final List<Integer> JVM_SIGNALS = List.of(
            1 /* HUP */, 2 /* INT */, 3 /* QUIT */, 4 /* ILL */, 6 /* ABRT */, 7 /* BUS */, 8 /* FPE */,
            10 /* USR1 */, 11 /* SEGV */, 12 /* USR2 */, 13 /* PIPE */, 15 /* TERM */, 17 /* CHLD */,
            24 /* XCPU */, 25 /* XFSZ */);
    /** glibc x86_64 struct sigaction is 152 bytes; kept opaque and oversized on purpose. */
    private static final long SIGACTION_SIZE = 256;

    private final MethodHandle connect;
    private final MethodHandle closeConn;
    private final MethodHandle queryN;
    private final MethodHandle queryWithParamsN;
    private final MethodHandle resultBuffer;
    private final MethodHandle resultLength;
    private final MethodHandle resultError;
    private final MethodHandle resultRowsRead;
    private final MethodHandle resultBytesRead;
    private final MethodHandle resultRowsWritten;
    private final MethodHandle resultBytesWritten;
    private final MethodHandle resultElapsed;
    private final MethodHandle destroyResult;
    private final MethodHandle sigaction;
    private final MethodHandle open;
    private final MethodHandle dup2;

    /**
     * What chDB's bundled jemalloc is told when the library loads, unless the process already says otherwise:
     * back its memory with transparent huge pages. With 4 KiB pages a million-row insert touches hundreds of
     * megabytes of fresh pages, and page faults were a quarter of the engine's time (perf); on a kernel in
     * "madvise" mode (the usual default) huge pages go only to memory that asks. Measured on 2 vCPUs: the same
     * three typed inserts and three raw blocks of a million rows 8.3-9.3 -> 4.6-5.2 CPU s; a 5 M-line file
     * through the file-drop route 11.8 -> 8.9 s (21.2 -> 15.9 CPU s), the engine's own insert 3.7 -> 2.6 s.
     * An operator sets {@code JE_MALLOC_CONF} (for instance to {@code thp:default}) to choose otherwise.
     */
    static final String ALLOCATOR_CONF_VARIABLE = "JE_MALLOC_CONF";
    static final String ALLOCATOR_CONF = "thp:always,metadata_thp:always";

    ChdbNative(Path library) {
        // jemalloc reads its settings once, when the library initialises it: before the library is loaded
        setenvUnlessSet(ALLOCATOR_CONF_VARIABLE, ALLOCATOR_CONF);
        SymbolLookup chdb = SymbolLookup.libraryLookup(library, Arena.global());
        connect = bind(chdb, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        closeConn = bind(chdb, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
        queryN = bind(chdb, "chdb_query_n",
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        queryWithParamsN = bind(chdb, "chdb_query_with_params_n", FunctionDescriptor.of(ADDRESS,
                ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        resultBuffer = bind(chdb, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = bind(chdb, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultError = bind(chdb, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultRowsRead = bind(chdb, "chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesRead = bind(chdb, "chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultRowsWritten = bind(chdb, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesWritten = bind(chdb, "chdb_result_bytes_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultElapsed = bind(chdb, "chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        destroyResult = bind(chdb, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
        sigaction = bind(LINKER.defaultLookup(), "sigaction",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        open = bind(LINKER.defaultLookup(), "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        dup2 = bind(LINKER.defaultLookup(), "dup2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /**
     * Points this process's standard input at /dev/null. clickhouse-local reads an INSERT's data from
     * stdin when the statement carries none; in a service (or a test JVM whose stdin is a pipe) that
     * read never returns and holds a connection forever. With /dev/null it ends at once.
     */
    void detachStandardInput() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(arena.allocateFrom("/dev/null"), 0 /* O_RDONLY */);
            if (fd < 0 || (int) dup2.invokeExact(fd, 0) < 0) {
                throw new IllegalStateException("cannot redirect standard input to /dev/null");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Sets a variable of the process's native environment (Java's own view, System.getenv, is a copy taken at
     * start) unless it is set; {@code setenv}'s last argument 0 keeps an existing value.
     */
    private static void setenvUnlessSet(String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle setenv = bind(LINKER.defaultLookup(), "setenv",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            if ((int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0) != 0) {
                throw new IllegalStateException("setenv " + name + " failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The process's native environment variable {@code name}, or null (for tests: what the library saw). */
    static String nativeGetenv(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle getenv = bind(LINKER.defaultLookup(), "getenv", FunctionDescriptor.of(ADDRESS, ADDRESS));
            MemorySegment v = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return v.equals(MemorySegment.NULL) ? null : v.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = lookup.find(name)
                .orElseThrow(() -> new IllegalStateException("libchdb does not export " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Opens a connection; returns the {@code chdb_connection*} handle. JVM signal handlers survive. */
    MemorySegment connect(List<String> args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment saved = arena.allocate(SIGACTION_SIZE * JVM_SIGNALS.size());
            for (int i = 0; i < JVM_SIGNALS.size(); i++) {
                check((int) sigaction.invokeExact((int) JVM_SIGNALS.get(i), MemorySegment.NULL,
                        saved.asSlice(i * SIGACTION_SIZE, SIGACTION_SIZE)), "save");
            }
            MemorySegment argv = arena.allocate(ADDRESS, args.size() + 1L);
            for (int i = 0; i < args.size(); i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args.get(i)));
            }
            MemorySegment conn;
            try {
                conn = (MemorySegment) connect.invokeExact(args.size(), argv);
            } finally {
                for (int i = 0; i < JVM_SIGNALS.size(); i++) {
                    check((int) sigaction.invokeExact((int) JVM_SIGNALS.get(i),
                            saved.asSlice(i * SIGACTION_SIZE, SIGACTION_SIZE), MemorySegment.NULL), "restore");
                }
            }
            if (conn.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("chdb_connect failed for arguments " + args);
            }
            return conn.reinterpret(ADDRESS.byteSize());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException("sigaction " + what + " failed: " + rc);
        }
    }

    void close(MemorySegment connHandle) {
        try {
            closeConn.invokeExact(connHandle);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs one statement; the caller must {@link Result#close()} the result. */
    Result query(MemorySegment connHandle, byte[] sql, String format, List<String> paramNames,
                 List<byte[]> paramValues) {
        MemorySegment conn = connHandle.get(ADDRESS, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(Math.max(1, sql.length));
            MemorySegment.copy(sql, 0, q, ValueLayout.JAVA_BYTE, 0, sql.length);
            byte[] fmtBytes = format.getBytes(StandardCharsets.US_ASCII);
            MemorySegment fmt = arena.allocateFrom(format);
            MemorySegment result;
            if (paramNames.isEmpty()) {
                result = (MemorySegment) queryN.invokeExact(conn, q, (long) sql.length, fmt, (long) fmtBytes.length);
            } else {
                int n = paramNames.size();
                MemorySegment names = arena.allocate(ADDRESS, n);
                MemorySegment nameLens = arena.allocate(JAVA_LONG, n);
                MemorySegment values = arena.allocate(ADDRESS, n);
                MemorySegment valueLens = arena.allocate(JAVA_LONG, n);
                for (int i = 0; i < n; i++) {
                    byte[] name = paramNames.get(i).getBytes(StandardCharsets.UTF_8);
                    byte[] value = paramValues.get(i);
                    MemorySegment nameSeg = arena.allocate(Math.max(1, name.length));
                    MemorySegment.copy(name, 0, nameSeg, ValueLayout.JAVA_BYTE, 0, name.length);
                    MemorySegment valueSeg = arena.allocate(Math.max(1, value.length));
                    MemorySegment.copy(value, 0, valueSeg, ValueLayout.JAVA_BYTE, 0, value.length);
                    names.setAtIndex(ADDRESS, i, nameSeg);
                    nameLens.setAtIndex(JAVA_LONG, i, name.length);
                    values.setAtIndex(ADDRESS, i, valueSeg);
                    valueLens.setAtIndex(JAVA_LONG, i, value.length);
                }
                result = (MemorySegment) queryWithParamsN.invokeExact(conn, q, (long) sql.length, fmt,
                        (long) fmtBytes.length, names, nameLens, values, valueLens, (long) n);
            }
            if (result.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("chDB returned no result");
            }
            return new Result(result);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A native query result: data stays in native memory until closed. */
    final class Result implements AutoCloseable {
        private final MemorySegment handle;

        private Result(MemorySegment handle) {
            this.handle = handle;
        }

        /** The error message, or null when the statement succeeded. */
        String error() {
            try {
                MemorySegment err = (MemorySegment) resultError.invokeExact(handle);
                return err.equals(MemorySegment.NULL) ? null : err.reinterpret(Long.MAX_VALUE).getString(0);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** The output bytes, valid until {@link #close()}. */
        MemorySegment data() {
            try {
                long length = (long) resultLength.invokeExact(handle);
                if (length == 0) {
                    return MemorySegment.NULL.reinterpret(0);
                }
                MemorySegment buffer = (MemorySegment) resultBuffer.invokeExact(handle);
                return buffer.reinterpret(length);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        long rowsRead() { return call(resultRowsRead); }
        long bytesRead() { return call(resultBytesRead); }
        long rowsWritten() { return call(resultRowsWritten); }
        long bytesWritten() { return call(resultBytesWritten); }

        double elapsedSeconds() {
            try {
                return (double) resultElapsed.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private long call(MethodHandle getter) {
            try {
                return (long) getter.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            try {
                destroyResult.invokeExact(handle);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
