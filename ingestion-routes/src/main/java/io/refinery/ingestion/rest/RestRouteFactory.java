package io.refinery.ingestion.rest;

import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionErrorHandling;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.RouteOptions;
import io.refinery.ingestion.Secrets;
import io.refinery.ingestion.SourceKind;
import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.SourceRouteFactory;
import io.refinery.warehouse.ingest.CursorStore;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * External REST APIs (JSON). Options: url, pagination (none|page|offset|next-link|cursor),
 * itemsField, pageParam, sizeParam, offsetParam, cursorParam, nextField, pageSize, firstPage,
 * sinceParam + sinceField (incremental), authHeader, authScheme, authSecret (a secret's name),
 * timeoutMs, maxRetries, maxBackoffMs, maxPages, pollDelayMs.
 */
@Component
class RestRouteFactory implements SourceRouteFactory {

    static final List<String> OPTIONS = List.of("url", "pagination", "itemsField", "pageParam", "sizeParam",
            "offsetParam", "cursorParam", "nextField", "pageSize", "firstPage", "sinceParam", "sinceField",
            "authHeader", "authScheme", "authSecret", "timeoutMs", "maxRetries", "maxBackoffMs", "maxPages",
            "pollDelayMs");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    enum Pagination { NONE, PAGE, OFFSET, NEXT_LINK, CURSOR }

    private final Ingestion ingestion;
    private final CursorStore cursors;
    private final Secrets secrets;
    private final IngestionProperties properties;
    private final ApplicationEventPublisher events;

    RestRouteFactory(Ingestion ingestion, CursorStore cursors, Secrets secrets, IngestionProperties properties,
                     ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.cursors = cursors;
        this.secrets = secrets;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.REST;
    }

    @Override
    public List<String> optionNames() {
        return OPTIONS;
    }

    RestSettings settings(RouteDefinition definition) {
        RouteOptions o = new RouteOptions(definition, OPTIONS);
        List<String> problems = new ArrayList<>();
        URI url = null;
        String rawUrl = o.required("url");
        if (rawUrl != null) {
            try {
                url = URI.create(rawUrl);
                if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
                        || url.getUserInfo() != null) {
                    problems.add("option 'url' must be an http(s) URL without credentials");
                }
            } catch (IllegalArgumentException e) {
                problems.add("option 'url' is not a URL");
            }
        }
        for (String name : List.of("itemsField", "pageParam", "sizeParam", "offsetParam", "cursorParam", "nextField",
                "sinceParam", "sinceField", "authHeader", "authScheme")) {
            String v = o.text(name, null);
            if (v != null && !NAME.matcher(v).matches()) {
                problems.add("option '" + name + "' must be a plain name");
            }
        }
        String authHeader = o.text("authHeader", "Authorization");
        if (authHeader.equalsIgnoreCase("host") || authHeader.equalsIgnoreCase("content-length")) {
            problems.add("option 'authHeader' cannot be " + authHeader);
        }
        String authSecret = o.secretRef("authSecret");
        if ((o.text("sinceParam", null) == null) != (o.text("sinceField", null) == null)) {
            problems.add("options 'sinceParam' and 'sinceField' go together");
        }
        Pagination pagination = o.choice("pagination", Pagination.class, Pagination.NONE);
        var request = o.request(SourceKind.REST, rawUrl, properties.batchSize());
        RestSettings s = new RestSettings(definition.id(), url, pagination, o.text("itemsField", null),
                o.text("pageParam", "page"), o.text("sizeParam", "size"), o.text("offsetParam", "offset"),
                o.text("cursorParam", "cursor"), o.text("nextField", "next"), o.integer("pageSize", 100, 1, 100_000),
                o.integer("firstPage", 1, 0, 1), o.text("sinceParam", null), o.text("sinceField", null), authHeader,
                o.text("authScheme", null), authSecret, Duration.ofMillis(o.integer("timeoutMs", 30_000, 100, 600_000)),
                o.integer("maxRetries", 5, 0, 20), Duration.ofMillis(o.integer("maxBackoffMs", 60_000, 10, 3_600_000)),
                o.integer("maxPages", 1000, 1, 1_000_000), o.integer("pollDelayMs", 60_000, 100, 86_400_000),
                request.withBatchSize(Math.max(o.integer("pageSize", 100, 1, 100_000), 1)), problems);
        problems.addAll(0, o.problems());
        return s;
    }

    @Override
    public List<String> validate(RouteDefinition definition) {
        return settings(definition).problems();
    }

    @Override
    public RouteBuilder routeBuilder(RouteDefinition definition) {
        RestSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException("route " + definition.id() + ": " + s.problems());
        }
        RestApiPoller poller = new RestApiPoller(s, () -> secrets.require(s.authSecret()), ingestion, cursors, events);
        return new RouteBuilder() {
            @Override
            public void configure() {
                fromF("timer:%s?period=%d&delay=0&fixedRate=false", definition.id(), s.pollDelayMs())
                        .routeId(definition.id())
                        .routeConfigurationId(IngestionErrorHandling.ID)
                        .process(poller);
            }
        };
    }

    @Override
    public Sample sample(RouteDefinition definition, int limit) throws Exception {
        RestSettings s = settings(definition);
        if (!s.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", s.problems()));
        }
        RestApiPoller poller = new RestApiPoller(s, () -> secrets.require(s.authSecret()), ingestion, cursors, events);
        URI first = poller.first(cursors.cursor(s.routeId()).map(c -> c.cursor()).orElse(null));
        RestApiPoller.JsonPage page = poller.fetch(first);
        return new Sample(first.getPath(), page.items().stream().limit(limit).map(SourceRecord::fields).toList());
    }
}
