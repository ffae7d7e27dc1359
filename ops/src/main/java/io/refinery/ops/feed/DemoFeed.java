package io.refinery.ops.feed;

import io.refinery.ingestion.Entity;
import io.refinery.ingestion.IngestRequest;
import io.refinery.ingestion.IngestResult;
import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.SourceRecord;
import io.refinery.ops.demo.DemoEntity;
import io.refinery.ops.demo.DemoHistory;
import io.refinery.ops.demo.DemoLiveFeed;
import io.refinery.ops.demo.DemoSupplyChain;
import io.refinery.ops.demo.LiveSlice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Feeds the demo supply chain through the real ingestion path, as a source would: first the history
 * (once: its batch keys make a restart land nothing twice), then live slices of simulated time.
 * Reference data goes first, then sales, so served demand is queryable within seconds.
 */
@Component
@ConditionalOnProperty(name = "refinery.demo.enabled", havingValue = "true")
class DemoFeed {

    private static final Logger log = LoggerFactory.getLogger(DemoFeed.class);
    static final String HISTORY_ROUTE = "demo-history";
    static final String LIVE_ROUTE = "demo-live";
    private static final List<DemoEntity> HISTORY_ORDER = List.of(DemoEntity.PRODUCTS, DemoEntity.LOCATIONS,
            DemoEntity.SUPPLIERS, DemoEntity.SALES_ORDER_LINES, DemoEntity.PURCHASE_ORDER_LINES, DemoEntity.RECEIPTS,
            DemoEntity.IOT_READINGS);

    private final Ingestion ingestion;
    private final DemoProperties properties;
    private final DemoSupplyChain chain;
    private volatile boolean stopped;
    private Thread worker;

    DemoFeed(Ingestion ingestion, DemoProperties properties) {
        this.ingestion = ingestion;
        this.properties = properties;
        this.chain = DemoSupplyChain.withSeed(properties.seed());
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!properties.autoStart()) {
            return;
        }
        worker = Thread.ofPlatform().name("demo-feed").daemon().start(this::run);
    }

    private void run() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try {
            loadHistory(today.minusDays(properties.historyDays()), today);
            feedLive(today.atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (RuntimeException e) {
            if (!stopped) {
                log.error("The demo feed stopped", e);
            }
        }
    }

    void loadHistory(LocalDate from, LocalDate to) {
        DemoHistory history = chain.history(from, to);
        Instant started = Instant.now();
        for (DemoEntity entity : HISTORY_ORDER) {
            Stream<Map<String, String>> records = history.records(entity);
            if (entity == DemoEntity.IOT_READINGS) {
                String since = to.minusDays(properties.iotHistoryDays()).toString();
                records = records.filter(r -> r.get("observed_at").compareTo(since) >= 0);
            }
            IngestResult result = ingest(entity, HISTORY_ROUTE,
                    "demo seed " + properties.seed() + " " + from + ".." + to, records.iterator());
            log.info("Demo history {}: {} received, {} cleaned, {} quarantined ({} s so far)", entity.entityName(),
                    result.received(), result.cleaned(), result.quarantined(),
                    Duration.between(started, Instant.now()).toSeconds());
            if (stopped) {
                return;
            }
        }
    }

    private void feedLive(Instant start) throws RuntimeException {
        DemoLiveFeed live = chain.live(start);
        Duration step = properties.liveInterval().multipliedBy(properties.liveSpeed());
        while (!stopped) {
            LiveSlice slice = live.next(step);
            for (DemoEntity entity : HISTORY_ORDER) {
                List<Map<String, String>> records = slice.records(entity);
                if (records != null && !records.isEmpty()) {
                    ingest(entity, LIVE_ROUTE, "demo live " + slice.from(), records.iterator());
                }
            }
            sleep(properties.liveInterval());
        }
    }

    private IngestResult ingest(DemoEntity entity, String route, String batchKey, Iterator<Map<String, String>> records) {
        AtomicLong offset = new AtomicLong();
        Iterator<SourceRecord> source = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public SourceRecord next() {
                return new SourceRecord(Long.toString(offset.incrementAndGet()), records.next());
            }
        };
        IngestRequest request = IngestRequest.of(Entity.valueOf(entity.name()), route, SourceKind.DEMO, batchKey)
                .withBatchKey(batchKey + " " + entity.entityName());
        return ingestion.ingest(request, source);
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            stopped = true;
            Thread.currentThread().interrupt();
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        stopped = true;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
