package io.refinery.api.demand;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.api.cache.ServedCacheProperties;
import io.refinery.api.cache.ServedResponseCache;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.warehouse.api.DemandGrain;
import io.refinery.warehouse.api.DemandHistory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

/**
 * Demand history from the served layer (daily FINAL, weekly and monthly views; weeks start on
 * Monday). Also CSV, for Power BI's Web connector and spreadsheets.
 */
@RestController
@RequestMapping("/api/v1/demand")
@Tag(name = "Demand")
class DemandController {

    static final int MAX_ROWS = 100_000;
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    /** One period of demand of a SKU at a location; {@code period} is the period's first day. */
    record DemandPoint(String sku, String location, LocalDate period, BigDecimal quantity, long orderLines,
                       BigDecimal revenue) {
    }

    enum Format { JSON, CSV }

    /** What a response depends on besides the served data; a record, so it is a cache key. */
    private record Key(DemandHistory.Query query, Format format) {
    }

    private final DemandHistory history;
    private final ObjectMapper mapper;
    private final ServedResponseCache cache;

    DemandController(DemandHistory history, ObjectMapper mapper, ServedCacheProperties cacheProperties) {
        this.history = history;
        this.mapper = mapper;
        // The served layer changes in batches; one fingerprint probe per maxAge serves every request
        // in between from memory (see ServedResponseCache), which is what makes 500 rps possible.
        this.cache = cacheProperties.create(history::servedFingerprint);
    }

    @GetMapping(produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    @Operation(summary = "Demand history by SKU, location and/or category at a grain")
    Mono<ResponseEntity<byte[]>> demand(
            @Parameter(description = "SKU code") @RequestParam(required = false) String sku,
            @Parameter(description = "location code") @RequestParam(required = false) String location,
            @Parameter(description = "product category (via products)") @RequestParam(required = false) String category,
            @Parameter(description = "day, week or month (default day)") @RequestParam(required = false) String grain,
            @Parameter(description = "first day (inclusive, yyyy-MM-dd), widened to its period") @RequestParam(required = false) String from,
            @Parameter(description = "last day (inclusive, yyyy-MM-dd)") @RequestParam(required = false) String to,
            @Parameter(description = "rows at most, 1-100000 (default 10000)") @RequestParam(required = false) Integer limit,
            @Parameter(description = "json or csv (default json)") @RequestParam(required = false) String format) {
        DemandHistory.Query query = new DemandHistory.Query(Inputs.option("grain", grain, DemandGrain.class, DemandGrain.DAY),
                Inputs.code("sku", sku), Inputs.code("location", location), Inputs.code("category", category),
                Inputs.date("from", from), Inputs.date("to", to), Inputs.bounded("limit", limit, 10_000, 1, MAX_ROWS));
        if (query.from() != null && query.to() != null && query.to().isBefore(query.from())) {
            throw Problems.invalidField("to", "must not be before from");
        }
        Format chosen = Inputs.option("format", format, Format.class, Format.JSON);
        MediaType type = chosen == Format.CSV ? CSV : MediaType.APPLICATION_JSON;
        return cache.get(new Key(query, chosen), () -> render(query, chosen))
                .map(body -> ResponseEntity.ok().contentType(type).body(body));
    }

    /** Blocking: reads the warehouse and serializes once; the bytes are what the cache keeps. */
    private byte[] render(DemandHistory.Query query, Format format) throws IOException {
        List<DemandPoint> points = history.find(query).stream()
                .map(r -> new DemandPoint(r.sku(), r.location(), r.period(), r.quantity(), r.orderLines(), r.revenue()))
                .toList();
        return format == Format.CSV ? csv(points).getBytes(StandardCharsets.UTF_8) : mapper.writeValueAsBytes(points);
    }

    private static String csv(List<DemandPoint> points) {
        StringBuilder out = new StringBuilder(64 * (points.size() + 1));
        out.append("sku,location,period,quantity,order_lines,revenue\r\n");
        for (DemandPoint p : points) {
            out.append(Csv.cell(p.sku())).append(',').append(Csv.cell(p.location())).append(',').append(p.period())
                    .append(',').append(p.quantity().toPlainString()).append(',').append(p.orderLines()).append(',')
                    .append(p.revenue().toPlainString()).append("\r\n");
        }
        return out.toString();
    }
}
