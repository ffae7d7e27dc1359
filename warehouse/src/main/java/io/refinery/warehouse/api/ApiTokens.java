package io.refinery.warehouse.api;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectSelectStep;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The API tokens table: the latest version of each token wins (a revocation is a newer version). */
@Repository
public class ApiTokens {

    private static final Field<String> TOKEN_ID = field(name("token_id"), String.class);
    private static final Field<String> TOKEN_HASH = field(name("token_hash"), String.class);
    private static final Field<String> USERNAME = field(name("username"), String.class);

    private final DSLContext dsl;

    ApiTokens(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public void save(ApiToken token) {
        dsl.execute("INSERT INTO api_tokens (token_id, username, name, token_hash, created_at, created_by, revoked,"
                        + " revoked_at, revoked_by, version) VALUES ({0}, {1}, {2}, {3}, fromUnixTimestamp64Milli({4}, 'UTC'),"
                        + " {5}, {6}, fromUnixTimestamp64Milli({7}, 'UTC'), {8}, toUInt64(toUnixTimestamp64Nano(now64(9))))",
                token.id(), token.username(), token.name(), token.tokenHash(), token.createdAt().toEpochMilli(),
                token.createdBy(), token.revoked(), token.revoked() ? token.revokedAt().toEpochMilli() : 0L,
                token.revokedBy() == null ? "" : token.revokedBy());
    }

    public Optional<ApiToken> findByHash(String tokenHash) {
        return select().from(table("api_tokens FINAL")).where(TOKEN_HASH.eq(tokenHash)).fetchOptional(ApiTokens::map);
    }

    public Optional<ApiToken> find(String id) {
        return select().from(table("api_tokens FINAL")).where(TOKEN_ID.eq(id)).fetchOptional(ApiTokens::map);
    }

    public List<ApiToken> all() {
        return select().from(table("api_tokens FINAL")).orderBy(USERNAME, TOKEN_ID).fetch(ApiTokens::map);
    }

    private SelectSelectStep<Record> select() {
        return dsl.select(List.<org.jooq.SelectFieldOrAsterisk>of(TOKEN_ID, USERNAME, field(name("name")), TOKEN_HASH,
                field("toUnixTimestamp64Milli(created_at)", Long.class), field(name("created_by")),
                field(name("revoked"), Boolean.class), field("toUnixTimestamp64Milli(revoked_at)", Long.class),
                field(name("revoked_by"))));
    }

    private static ApiToken map(Record r) {
        boolean revoked = Boolean.TRUE.equals(r.get(6, Boolean.class));
        return new ApiToken(r.get(0, String.class), r.get(1, String.class), r.get(2, String.class),
                r.get(3, String.class), Instant.ofEpochMilli(r.get(4, Long.class)), r.get(5, String.class),
                revoked ? Instant.ofEpochMilli(r.get(7, Long.class)) : null, revoked ? r.get(8, String.class) : null);
    }
}
