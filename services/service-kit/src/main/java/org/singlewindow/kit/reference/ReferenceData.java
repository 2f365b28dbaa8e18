package org.singlewindow.kit.reference;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version of one reference document in force in this service: the newest one an administrator
 * loaded (kept in the service's database, so it survives restarts), else the bundled one. Replacing
 * it takes effect at once for every decision that starts afterwards on this instance, without a
 * restart, and within {@link #RECHECK} on every other instance of the service (each looks for a newer
 * version in the shared table at most that often) — so that revoking an authorisation in the party
 * register, say, holds everywhere.
 *
 * @param <T> the parsed document
 */
public final class ReferenceData<T> {

    /** How often an instance looks for a version another instance loaded. */
    public static final Duration RECHECK = Duration.ofSeconds(10);

    /** The document in force and where it came from; {@code id} is its row (0: bundled). */
    public record Current<T>(T document, ReferenceKind.Info info, String origin, OffsetDateTime loadedAt, long id) {
    }

    private final ReferenceKind<T> kind;
    private final JdbcClient jdbc;
    private final AtomicReference<Current<T>> current = new AtomicReference<>();
    private volatile long checkedAt = System.nanoTime();

    public ReferenceData(ReferenceKind<T> kind, JdbcClient jdbc) {
        this.kind = kind;
        this.jdbc = jdbc;
    }

    public ReferenceKind<T> kind() {
        return kind;
    }

    /** The document in force (loaded on first use). */
    public T get() {
        return current().document();
    }

    public Current<T> current() {
        Current<T> c = current.get();
        if (c == null) {
            c = load();
            current.compareAndSet(null, c);
            checkedAt = System.nanoTime();
            return current.get();
        }
        if (System.nanoTime() - checkedAt > RECHECK.toNanos()) {
            checkedAt = System.nanoTime();
            long newest = jdbc.sql("select coalesce(max(id), 0) from reference_document where kind = ?")
                    .param(kind.name()).query(Long.class).single();
            if (newest != c.id()) {
                Current<T> loaded = load();
                current.set(loaded);
                return loaded;
            }
        }
        return c;
    }

    private Current<T> load() {
        record Row(long id, String body, String loadedBy, OffsetDateTime loadedAt) {
        }
        return jdbc.sql("""
                        select id, body::text as body, loaded_by, loaded_at from reference_document where kind = ?
                        order by id desc limit 1""")
                .param(kind.name()).query(Row.class).optional()
                .map(row -> {
                    T document = kind.parse(row.body().getBytes(StandardCharsets.UTF_8));
                    return new Current<>(document, kind.describe(document), "loaded by " + row.loadedBy(), row.loadedAt(),
                            row.id());
                })
                .orElseGet(() -> {
                    T document = kind.parse(kind.bundled());
                    return new Current<>(document, kind.describe(document), "bundled", null, 0);
                });
    }

    /** A version an administrator loaded (the bundled one is not a row). */
    public record Version(long id, String version, java.time.LocalDate effectiveFrom, String source, String loadedBy,
                          OffsetDateTime loadedAt) {
    }

    /** Every version loaded, newest (the one in force) first. */
    public java.util.List<Version> versions() {
        return jdbc.sql("""
                        select id, version, effective_from, source, loaded_by, loaded_at from reference_document
                        where kind = ? order by id desc""")
                .param(kind.name()).query(Version.class).list();
    }

    /** The text of the version in force: as loaded, or the bundled file. */
    public byte[] body() {
        Current<T> c = current();
        if (c.id() == 0) {
            return kind.bundled();
        }
        return jdbc.sql("select body::text from reference_document where id = ?").param(c.id()).query(String.class).single()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Check a document without loading it: what it would put in force (or {@code InvalidReferenceData}). */
    public ReferenceKind.Info check(byte[] json) {
        return kind.describe(kind.parse(json));
    }

    /** Check, keep and put in force a new version; the old one stays in the table for the record. */
    public Current<T> replace(byte[] json, String loadedBy) {
        T document = kind.parse(json);
        ReferenceKind.Info info = kind.describe(document);
        // the time it was loaded is the database's, as the table's other times are
        Current<T> next = jdbc.sql("""
                        insert into reference_document (kind, version, effective_from, source, body, loaded_at, loaded_by)
                        values (?, ?, ?, ?, ?::jsonb, now(), ?) returning id, loaded_at""")
                .params(kind.name(), info.version(), info.effectiveFrom(), info.source(),
                        new String(json, StandardCharsets.UTF_8), loadedBy)
                .query((rs, n) -> new Current<>(document, info, "loaded by " + loadedBy,
                        rs.getObject("loaded_at", OffsetDateTime.class), rs.getLong("id")))
                .single();
        current.set(next);
        return next;
    }
}
