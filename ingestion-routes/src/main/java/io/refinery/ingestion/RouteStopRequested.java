package io.refinery.ingestion;

/** Published when a route must stop by itself (drift policy STOP); the route admin stops it. */
public record RouteStopRequested(String routeId, String reason) {
}
