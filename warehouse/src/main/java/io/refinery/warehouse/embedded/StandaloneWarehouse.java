package io.refinery.warehouse.embedded;

import java.nio.file.Path;

/**
 * The embedded engine as a small ClickHouse server of its own, for several Refinery processes on one
 * machine (replicas, tests of server mode) where no ClickHouse server is installed. It listens on
 * 127.0.0.1 only.
 *
 * <p>Usage: {@code StandaloneWarehouse <data-dir> <port>}, password in {@code REFINERY_WAREHOUSE_PASSWORD}
 * (generated and printed when unset). Prints {@code READY http://127.0.0.1:<port>} when serving.
 */
public final class StandaloneWarehouse {

    private StandaloneWarehouse() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: StandaloneWarehouse <data-dir> [port]");
            System.exit(2);
        }
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 8123;
        EmbeddedClickHouse engine = EmbeddedClickHouse.start(new EmbeddedClickHouse.Options(Path.of(args[0]), port, 4,
                null, System.getenv("REFINERY_WAREHOUSE_PASSWORD")));
        if (System.getenv("REFINERY_WAREHOUSE_PASSWORD") == null) {
            System.out.println("password " + engine.password());
        }
        System.out.println("user " + engine.user());
        System.out.println("READY " + engine.httpUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
