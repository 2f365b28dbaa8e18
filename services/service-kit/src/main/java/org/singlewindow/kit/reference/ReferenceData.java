package org.singlewindow.kit.reference;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The version of one reference document in force in this service: the newest one an administrator
 * loaded (kept in the service's database, so it survives restarts), else the bundled one. Replacing
 * it takes effect at once for every decision that starts afterwards, without a restart.
 *
 * @param <T> the parsed document
 */
public final class ReferenceData<T> {

    /** The document in force and where it came from. */
    public record Current<T>(T document, ReferenceKind.Info info, String origin, OffsetDateTime loadedAt) {
    }

    private final ReferenceKind<T> kind;
    private final JdbcClient jdbc;
    private final AtomicReference<Current<T>> current = new AtomicReference<>();

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
            c = current.get();
        }
        return c;
    }

    private Current<T> load() {
        record Row(String body, String loadedBy, OffsetDateTime loadedAt) {
        }
        return jdbc.sql("select body::text as body, loaded_by, loaded_at from reference_document where kind = ? order by id desc limit 1")
                .param(kind.name()).query(Row.class).optional()
                .map(row -> {
                    T document = kind.parse(row.body().getBytes(StandardCharsets.UTF_8));
                    return new Current<>(document, kind.describe(document), "loaded by " + row.loadedBy(), row.loadedAt());
                })
                .orElseGet(() -> {
                    T document = kind.parse(kind.bundled());
                    return new Current<>(document, kind.describe(document), "bundled", null);
                });
    }

    /** Check, keep and put in force a new version; the old one stays in the table for the record. */
    public Current<T> replace(byte[] json, String loadedBy) {
        T document = kind.parse(json);
        ReferenceKind.Info info = kind.describe(document);
        OffsetDateTime now = OffsetDateTime.now();
        jdbc.sql("""
                        insert into reference_document (kind, version, effective_from, source, body, loaded_at, loaded_by)
                        values (?, ?, ?, ?, ?::jsonb, ?, ?)""")
                .params(kind.name(), info.version(), info.effectiveFrom(), info.source(),
                        new String(json, StandardCharsets.UTF_8), now, loadedBy)
                .update();
        Current<T> next = new Current<>(document, info, "loaded by " + loadedBy, now);
        current.set(next);
        return next;
    }
}
