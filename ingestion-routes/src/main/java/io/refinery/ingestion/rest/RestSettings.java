package io.refinery.ingestion.rest;

import io.refinery.ingestion.IngestRequest;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The checked options of one REST API route. */
record RestSettings(String routeId, URI url, RestRouteFactory.Pagination pagination, String itemsField,
                    String pageParam, String sizeParam, String offsetParam, String cursorParam, String nextField,
                    int pageSize, int firstPage, String sinceParam, String sinceField, String authHeader,
                    String authScheme, String authSecret, Duration timeout, int maxRetries, Duration maxBackoff,
                    int maxPages, int pollDelayMs, IngestRequest request, List<String> problems) {
}
