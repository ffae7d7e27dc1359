package io.refinery.api.routes;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.problem.Problems;
import io.refinery.ingestion.DriftPolicy;
import io.refinery.ingestion.Entity;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.admin.DryRun;
import io.refinery.ingestion.admin.RouteAdmin;
import io.refinery.ingestion.admin.RouteAdminException;
import io.refinery.ingestion.admin.RouteView;
import io.refinery.warehouse.ingest.IngestRecords.RouteAuditEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Ingestion routes as data, for admins: CRUD, dry-run validation, start and stop, audit. */
@RestController
@Validated
@RequestMapping("/api/v1/admin/routes")
@Tag(name = "Admin: ingestion routes")
class RoutesController {

    static final String ROUTE_ID = "^[a-z0-9][a-z0-9._-]{0,63}$";

    /** A route definition as sent by admins; kinds and entities by their wire names. */
    record RouteBody(@Pattern(regexp = ROUTE_ID, message = "1-64 characters: a-z, 0-9, '.', '_', '-'") String id,
                     @NotBlank String kind, @NotBlank String entity, DriftPolicy driftPolicy,
                     @Size(max = 50) Map<@Pattern(regexp = "^[A-Za-z][A-Za-z0-9]{0,63}$") String, @NotNull @Size(max = 2048) String> options) {
    }

    private final ObjectProvider<RouteAdmin> admin;

    RoutesController(ObjectProvider<RouteAdmin> admin) {
        this.admin = admin;
    }

    @GetMapping
    @Operation(summary = "All routes with their desired state and Camel status")
    Mono<List<RouteView>> list() {
        return call(() -> routes().list());
    }

    @GetMapping("/kinds")
    @Operation(summary = "The route kinds and their allowed options")
    Mono<Map<String, List<String>>> kinds() {
        return call(() -> {
            RouteAdmin routes = routes();
            Map<String, List<String>> kinds = new java.util.TreeMap<>();
            routes.kinds().forEach(k -> kinds.put(k.wireName(), routes.options(k)));
            return kinds;
        });
    }

    @GetMapping("/{id}")
    @Operation(summary = "One route")
    Mono<RouteView> get(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id) {
        return call(() -> routes().get(id).orElseThrow(() -> Problems.notFound("no route '" + id + "'")));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a route (stopped)")
    Mono<RouteView> create(@Valid @RequestBody RouteBody body, Principal user) {
        if (body.id() == null) {
            throw Problems.invalidField("id", "is required");
        }
        RouteDefinition definition = definition(body.id(), body);
        return call(() -> routes().create(definition, user.getName()));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace a route's definition (a running route is reloaded)")
    Mono<RouteView> update(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id,
                           @Valid @RequestBody RouteBody body, Principal user) {
        if (body.id() != null && !body.id().equals(id)) {
            throw Problems.invalidField("id", "does not match the route in the path");
        }
        RouteDefinition definition = definition(id, body);
        return call(() -> routes().update(definition, user.getName()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a route (stops it first)")
    Mono<Void> delete(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id, Principal user) {
        return call(() -> {
            routes().delete(id, user.getName());
            return true;
        }).then();
    }

    @PostMapping("/validate")
    @Operation(summary = "Dry run: check a definition, read a sample, show what the contract would do (nothing is landed)")
    Mono<DryRun> validate(@Valid @RequestBody RouteBody body, @RequestParam(required = false) Integer sample) {
        int size = Inputs.bounded("sample", sample, 20, 1, 1000);
        RouteDefinition definition = definition(body.id() == null ? "dry-run" : body.id(), body);
        return call(() -> routes().validate(definition, size));
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Start a route")
    Mono<RouteView> start(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id, Principal user) {
        return call(() -> routes().start(id, user.getName()));
    }

    @PostMapping("/{id}/stop")
    @Operation(summary = "Stop a route")
    Mono<RouteView> stop(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id, Principal user) {
        return call(() -> routes().stop(id, user.getName()));
    }

    @GetMapping("/{id}/audit")
    @Operation(summary = "Who changed the route, when, and how")
    Mono<List<RouteAuditEntry>> audit(@PathVariable @Pattern(regexp = ROUTE_ID, message = "not a route id") String id) {
        return call(() -> routes().audit(id));
    }

    private RouteAdmin routes() {
        return Blocking.facade(admin, "ingestion route admin");
    }

    private static RouteDefinition definition(String id, RouteBody body) {
        RouteKind kind;
        Entity entity;
        try {
            kind = RouteKind.of(body.kind());
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("kind", e.getMessage());
        }
        try {
            entity = Entity.of(body.entity());
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("entity", "one of " + Arrays.stream(Entity.values()).map(Entity::wireName).toList());
        }
        return new RouteDefinition(id, kind, entity, body.driftPolicy(), body.options());
    }

    /** The admin's refusals become problems: unknown route 404, existing 409, invalid 400. */
    private static <T> Mono<T> call(Callable<T> call) {
        return Blocking.call(call).onErrorMap(RouteAdminException.class, e -> {
            String message = e.getMessage() == null ? "refused" : e.getMessage();
            HttpStatus status = message.startsWith("no route") ? HttpStatus.NOT_FOUND
                    : message.contains("already exists") ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
            return Problems.of(status, message);
        });
    }
}
