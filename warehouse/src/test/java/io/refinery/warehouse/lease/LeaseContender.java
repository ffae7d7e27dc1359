package io.refinery.warehouse.lease;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A separate JVM contending for one lease: {@code LeaseContender <jdbcUrl> <user> <password> <key>
 * <startAtEpochMillis> <threads> <holdMillis>}. Every thread starts its claim at the same wall-clock
 * instant; prints {@code WON <holder> <epoch> <ms>}, {@code ENDED <holder> <epoch> <ms>} (lost or about to be
 * released) or {@code LOST <holder>} per thread.
 */
public final class LeaseContender {

    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[0]);
        config.setUsername(args[1]);
        config.setPassword(args[2]);
        config.setMaximumPoolSize(8);
        String key = args[3];
        long startAt = Long.parseLong(args[4]);
        int threads = Integer.parseInt(args[5]);
        long holdMillis = Long.parseLong(args[6]);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            var dsl = DSL.using(dataSource, SQLDialect.CLICKHOUSE,
                    new Settings().withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED));
            dsl.fetch("SELECT 1");
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                String holder = "pid" + ProcessHandle.current().pid() + "-t" + t;
                Leases leases = new Leases(dsl, new LeaseProperties(Duration.ofSeconds(6), Duration.ofMillis(1500), holder));
                Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
                        Optional<Lease> lease = leases.tryAcquire(key);
                        if (lease.isPresent()) {
                            long epoch = lease.get().epoch();
                            System.out.println("WON " + holder + " " + epoch + " " + System.currentTimeMillis());
                            lease.get().onLost(() -> System.out.println("ENDED " + holder + " " + epoch + " "
                                    + System.currentTimeMillis()));
                            Thread.sleep(holdMillis);
                            System.out.println("HELD " + holder + " " + lease.get().isHeld());
                            if (lease.get().isHeld()) {
                                System.out.println("ENDED " + holder + " " + epoch + " " + System.currentTimeMillis());
                            }
                            lease.get().close();
                        } else {
                            System.out.println("LOST " + holder);
                        }
                    } catch (Exception e) {
                        System.out.println("ERROR " + holder + " " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
        }
        System.out.flush();
        System.exit(0);
    }
}
