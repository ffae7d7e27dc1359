package io.refinery.api.odata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.api.Blocking;
import io.refinery.api.cache.ServedCacheProperties;
import io.refinery.api.cache.ServedResponseCache;
import io.refinery.api.problem.Problems;
import io.refinery.warehouse.api.DemandHistory;
import io.refinery.warehouse.api.ForecastReads;
import io.refinery.warehouse.api.RowFilter;
import io.refinery.warehouse.api.ServedColumn;
import io.refinery.warehouse.api.ServedReads;
import io.refinery.warehouse.api.SortKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The OData v4 feed for Power BI: service document, {@code $metadata}, and the entity sets with
 * {@code $select}, {@code $filter}, {@code $orderby}, {@code $top}, {@code $skip}, {@code $count} and
 * server-driven paging ({@code @odata.nextLink}). Read only; JSON only.
 */
@RestController
@Tag(name = "OData (Power BI)")
class ODataController {

    static final String ROOT = "/odata/v4";
    private static final MediaType ODATA_JSON = MediaType.parseMediaType(
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
    private static final Set<String> OPTIONS = Set.of("$select", "$filter", "$orderby", "$top", "$skip", "$count",
            "$skiptoken", "$format");
    private static final Pattern ORDER_TERM = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)(?:\\s+(asc|desc))?$");
    private static final String CSDL = Metadata.csdl();
    private static final Set<EntitySet> DEMAND_SETS = Set.of(EntitySet.DemandDaily, EntitySet.DemandWeekly,
            EntitySet.DemandMonthly);

    private record Query(EntitySet set, List<ServedColumn> select, RowFilter filter, List<SortKey> order, long skip,
                         Long top, boolean count, long offset, String pinnedRun) {
    }

    /** A page and the run it was read from (null for sets that are not per run), for the next link. */
    private record Page(List<Object[]> rows, Long count, boolean more, String run) {
    }

    private static final Pattern SKIP_TOKEN = Pattern.compile("^(\\d{1,18})(?:~([A-Za-z0-9_-]{1,64}))?$");

    private final ServedReads reads;
    private final ServedResponseCache demandPages;
    private final ForecastReads forecastReads;
    private final ForecastRunIds runIds;
    private final ODataProperties properties;
    private final ObjectMapper mapper;

    ODataController(ServedReads reads, ForecastReads forecastReads, ForecastRunIds runIds, ODataProperties properties,
                    ObjectMapper mapper, DemandHistory demand, ServedCacheProperties cacheProperties) {
        // Power BI refreshes read the same demand pages again and again; they are kept per fingerprint
        // of the served demand like the demand history (other sets are always read afresh).
        this.demandPages = cacheProperties.create(demand::servedFingerprint);
        this.reads = reads;
        this.forecastReads = forecastReads;
        this.runIds = runIds;
        this.properties = properties;
        this.mapper = mapper;
    }

    @GetMapping({ROOT, ROOT + "/"})
    @Operation(summary = "OData service document")
    ResponseEntity<Map<String, Object>> serviceDocument(ServerWebExchange exchange) {
        List<Map<String, String>> sets = java.util.Arrays.stream(EntitySet.values())
                .map(s -> Map.of("name", s.name(), "kind", "EntitySet", "url", s.name())).toList();
        return ResponseEntity.ok().header("OData-Version", "4.0").contentType(ODATA_JSON)
                .body(Map.of("@odata.context", base(exchange) + "/$metadata", "value", sets));
    }

    @GetMapping(ROOT + "/$metadata")
    @Operation(summary = "OData metadata (CSDL XML)")
    ResponseEntity<String> metadata() {
        return ResponseEntity.ok().header("OData-Version", "4.0").contentType(MediaType.APPLICATION_XML).body(CSDL);
    }

    @GetMapping(ROOT + "/{set}")
    @Operation(summary = "Rows of an entity set: $select, $filter, $orderby, $top, $skip, $count; pages of 10 000")
    Mono<ResponseEntity<byte[]>> entitySet(@PathVariable String set, ServerWebExchange exchange) {
        Query query = query(set, exchange.getRequest().getQueryParams());
        Mono<byte[]> body = DEMAND_SETS.contains(query.set())
                ? demandPages.get(exchange.getRequest().getURI().toString(), () -> json(query, read(query), exchange))
                : Blocking.call(() -> json(query, read(query), exchange));
        return body.map(bytes -> ResponseEntity.ok().header("OData-Version", "4.0").contentType(ODATA_JSON).body(bytes));
    }

    @GetMapping(ROOT + "/{set}/$count")
    @Operation(summary = "The number of rows of an entity set matching $filter")
    Mono<ResponseEntity<String>> count(@PathVariable String set, ServerWebExchange exchange) {
        Query query = query(set, exchange.getRequest().getQueryParams());
        return Blocking.call(() -> count(query, run(query))).map(n -> ResponseEntity.ok().header("OData-Version", "4.0").contentType(MediaType.TEXT_PLAIN)
                .body(Long.toString(n)));
    }

    private Query query(String name, MultiValueMap<String, String> params) {
        EntitySet set = EntitySet.named(name).orElseThrow(() -> Problems.notFound("no entity set '"
                + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'; see " + ROOT + "/"));
        for (var entry : params.entrySet()) {
            String option = entry.getKey();
            if (option.startsWith("$") && !OPTIONS.contains(option)) {
                throw Problems.badRequest("query option " + option + " is not supported; supported: "
                        + new java.util.TreeSet<>(OPTIONS));
            }
            if (option.startsWith("$") && entry.getValue().size() > 1) {
                throw Problems.badRequest("query option " + option + " is given more than once");
            }
        }
        String format = params.getFirst("$format");
        if (format != null && !format.equals("json") && !format.startsWith("application/json")) {
            throw Problems.badRequest("$format: only json is supported");
        }
        List<ServedColumn> select = select(set, params.getFirst("$select"));
        RowFilter filter;
        try {
            filter = FilterParser.parse(params.getFirst("$filter"), column -> set.column(column).orElse(null));
        } catch (FilterParser.InvalidFilterException e) {
            throw Problems.invalidField("$filter", e.getMessage());
        }
        List<SortKey> order = orderBy(set, params.getFirst("$orderby"));
        long skip = number("$skip", params.getFirst("$skip"), 0);
        Long top = params.getFirst("$top") == null ? null : number("$top", params.getFirst("$top"), 0);
        String count = params.getFirst("$count");
        if (count != null && !count.equals("true") && !count.equals("false")) {
            throw Problems.invalidField("$count", "must be true or false");
        }
        long offset = skip;
        String pinnedRun = null;
        String token = params.getFirst("$skiptoken");
        if (token != null) {
            var m = SKIP_TOKEN.matcher(token.strip());
            if (!m.matches() || Long.parseLong(m.group(1)) < skip || (m.group(2) != null && !set.perRun())) {
                throw Problems.invalidField("$skiptoken", "is not a token of this query");
            }
            offset = Long.parseLong(m.group(1));
            pinnedRun = m.group(2);
        }
        return new Query(set, select, filter, order, skip, top, "true".equals(count), offset, pinnedRun);
    }

    private static List<ServedColumn> select(EntitySet set, String select) {
        if (select == null || select.isBlank() || select.strip().equals("*")) {
            return set.columns();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : select.split(",", -1)) {
            String name = part.strip();
            if (set.column(name).isEmpty()) {
                throw Problems.invalidField("$select", "unknown property '" + (name.length() > 64
                        ? name.substring(0, 64) + "…" : name) + "'");
            }
            names.add(name);
        }
        return names.stream().map(n -> set.column(n).orElseThrow()).toList();
    }

    private static List<SortKey> orderBy(EntitySet set, String orderBy) {
        List<SortKey> keys = new ArrayList<>();
        if (orderBy != null && !orderBy.isBlank()) {
            if (orderBy.length() > 1000) {
                throw Problems.invalidField("$orderby", "is too long");
            }
            for (String term : orderBy.split(",", -1)) {
                var m = ORDER_TERM.matcher(term.strip());
                if (!m.matches() || set.column(m.group(1)).isEmpty()) {
                    throw Problems.invalidField("$orderby", "expected 'property [asc|desc]' with a property of "
                            + set.name() + ", found '" + (term.length() > 64 ? term.substring(0, 64) + "…" : term.strip()) + "'");
                }
                keys.add(new SortKey(m.group(1), "desc".equals(m.group(2))));
            }
        }
        // The key makes the order total, so pages never overlap or skip rows.
        for (String key : set.key()) {
            if (keys.stream().noneMatch(k -> k.column().equals(key))) {
                keys.add(new SortKey(key, false));
            }
        }
        return keys;
    }

    private static long number(String option, String value, long min) {
        if (value == null) {
            return min;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < min) {
                throw Problems.invalidField(option, "must be at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw Problems.invalidField(option, "must be a whole number");
        }
    }

    /** The forecast run a per-run set reads, or null. Blocking. */
    private String run(Query q) {
        return q.set().perRun() ? runIds.resolve(q.set(), q.filter(), q.pinnedRun()) : null;
    }

    private long count(Query q, String run) {
        return q.set().table().isPresent() ? reads.count(q.set().table().get(), q.filter())
                : forecastReads.count(q.set().source().orElseThrow(), run, q.filter());
    }

    private Page read(Query q) {
        String run = run(q);
        long served = q.offset() - q.skip();
        long remaining = q.top() == null ? Long.MAX_VALUE : Math.max(0, q.top() - served);
        int limit = (int) Math.min(properties.pageSize(), remaining);
        List<String> columns = q.select().stream().map(ServedColumn::name).toList();
        // One row more than the page tells whether there is a next page without counting.
        List<Object[]> rows = limit == 0 ? List.of()
                : q.set().table().isPresent()
                ? reads.page(q.set().table().get(), columns, q.filter(), q.order(), q.offset(), limit + 1)
                : forecastReads.page(q.set().source().orElseThrow(), run, columns, q.filter(), q.order(), q.offset(),
                limit + 1);
        boolean more = rows.size() > limit && remaining > limit;
        Long count = q.count() ? count(q, run) : null;
        return new Page(rows.size() > limit ? rows.subList(0, limit) : rows, count, more, run);
    }

    private byte[] json(Query q, Page page, ServerWebExchange exchange) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, page.rows().size() * 128));
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            String selected = q.select().size() == q.set().columns().size() ? ""
                    : "(" + String.join(",", q.select().stream().map(ServedColumn::name).toList()) + ")";
            json.writeStringField("@odata.context", base(exchange) + "/$metadata#" + q.set().name() + selected);
            if (page.count() != null) {
                json.writeNumberField("@odata.count", page.count());
            }
            json.writeArrayFieldStart("value");
            for (Object[] row : page.rows()) {
                json.writeStartObject();
                for (int i = 0; i < row.length; i++) {
                    json.writeFieldName(q.select().get(i).name());
                    write(json, row[i]);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (page.more()) {
                URI next = UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
                        .replaceQueryParam("$skiptoken", (q.offset() + page.rows().size())
                                + (page.run() == null ? "" : "~" + page.run())).build(true).toUri();
                json.writeStringField("@odata.nextLink", next.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator json, Object value) throws IOException {
        switch (value) {
            case null -> json.writeNull();
            case String s -> json.writeString(s);
            case BigDecimal d -> json.writeNumber(d);
            case Long l -> json.writeNumber(l);
            case Integer n -> json.writeNumber(n);
            case Double d when d.isNaN() || d.isInfinite() -> json.writeString(d.isNaN() ? "NaN" : d > 0 ? "INF" : "-INF");
            case Double d -> json.writeNumber(d);
            case Boolean b -> json.writeBoolean(b);
            default -> json.writeString(value.toString());
        }
    }

    private static String base(ServerWebExchange exchange) {
        return UriComponentsBuilder.fromUri(exchange.getRequest().getURI()).replacePath(ROOT).replaceQuery(null)
                .build().toUriString();
    }

}
