package org.singlewindow.kit.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.UUID;

/**
 * Transaction-scoped advisory locks on named things (a declaration, a consumer's year, a guarantee
 * account, a stock account), taken in one statement and in one global order: the keys' 64-bit
 * hashes, ascending. Every path that locks more than one such thing goes through here, so no two
 * transactions wait for each other in a cycle. Two names that hash alike only serialize a little more.
 */
public class Locks {

    private final JdbcClient jdbc;

    public Locks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The key of a declaration. */
    public static String declaration(UUID declarationId) {
        return "declaration:" + declarationId;
    }

    /** Lock every key until the transaction ends (re-entrant: a key held already is taken again at no cost). */
    public void lock(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        long[] hashes = keys.stream().mapToLong(Locks::hash).sorted().distinct().toArray();
        Long[] ordered = new Long[hashes.length];
        for (int i = 0; i < hashes.length; i++) {
            ordered[i] = hashes[i];
        }
        // unnest yields the array's order, and the aggregate takes the locks row by row in that order
        jdbc.sql("select count(pg_advisory_xact_lock(k)) from unnest(?::bigint[]) as k").param(ordered)
                .query(Long.class).single();
    }

    /** FNV-1a, 64 bits, over the key's UTF-8 bytes. */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
