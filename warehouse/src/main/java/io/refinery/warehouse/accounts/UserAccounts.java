package io.refinery.warehouse.accounts;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/** The user accounts table: the latest version of each account wins. */
@Repository
public class UserAccounts {

    private static final Field<String> USERNAME = field(name("username"), String.class);

    private final DSLContext dsl;

    UserAccounts(DSLContext warehouseDsl) {
        this.dsl = warehouseDsl;
    }

    public Optional<UserAccount> find(String username) {
        return dsl.select(USERNAME, field(name("password_hash")), field(name("roles")), field(name("enabled")),
                        field(name("updated_at")), field(name("updated_by")))
                .from(table("user_accounts FINAL"))
                .where(USERNAME.eq(username))
                .fetchOptional(UserAccounts::map);
    }

    public List<UserAccount> all() {
        return dsl.select(USERNAME, field(name("password_hash")), field(name("roles")), field(name("enabled")),
                        field(name("updated_at")), field(name("updated_by")))
                .from(table("user_accounts FINAL"))
                .orderBy(USERNAME)
                .fetch(UserAccounts::map);
    }

    public boolean anyWithRole(String role) {
        return dsl.fetchExists(dsl.selectOne().from(table("user_accounts FINAL"))
                .where(field("has(roles, {0})", Boolean.class, role)).and(field(name("enabled"), Boolean.class).isTrue()));
    }

    /** Creates or replaces an account. */
    public void save(UserAccount account) {
        dsl.execute("INSERT INTO user_accounts (username, password_hash, roles, enabled, updated_at, updated_by, version)"
                        + " VALUES ({0}, {1}, {2}, {3}, {4}, {5}, toUInt64(toUnixTimestamp64Nano(now64(9))))",
                account.username(), account.passwordHash(), account.roles().toArray(String[]::new), account.enabled(),
                Timestamp.from(account.updatedAt()), account.updatedBy());
    }

    private static UserAccount map(Record r) {
        Object roles = r.get(2);
        List<String> roleList = roles instanceof Object[] array ? Arrays.stream(array).map(String::valueOf).toList()
                : roles instanceof java.sql.Array sqlArray ? toList(sqlArray) : List.of(String.valueOf(roles));
        Object updated = r.get(4);
        Instant updatedAt = updated instanceof Timestamp ts ? ts.toInstant()
                : updated instanceof java.time.LocalDateTime ldt ? ldt.toInstant(java.time.ZoneOffset.UTC)
                : updated instanceof java.time.OffsetDateTime odt ? odt.toInstant() : Instant.EPOCH;
        return new UserAccount(r.get(0, String.class), r.get(1, String.class), roleList,
                Boolean.TRUE.equals(r.get(3, Boolean.class)), updatedAt, r.get(5, String.class));
    }

    private static List<String> toList(java.sql.Array array) {
        try {
            return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
