package org.singlewindow.kit;

import java.time.Duration;

/**
 * One kind of record a service keeps only for a while, pruned by {@link Pruning}: a statement that
 * removes (or empties) at most a chunk of the records older than a cutoff — its two parameters, the
 * cutoff time and the chunk size — and returns how many it touched.
 *
 * @param name        what is pruned, e.g. {@code inbox}; the key of {@link Pruning#prune()}'s answer
 * @param metric      the counter of pruned records
 * @param description the counter's description
 * @param keep        how long a record is kept
 * @param sql         the chunked statement, parameters {@code (cutoff, chunk)}
 */
public record RetentionRule(String name, String metric, String description, Duration keep, String sql) {
}
