package org.singlewindow.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches the window's own table (read-only, one indexed count) to know when a phase's declarations are
 * settled — final with every agency's follow-up done, or held for an officer — without adding API load to
 * the platform under test.
 */
final class WindowProbe implements AutoCloseable {

    /** How many of a phase's declarations are settled, and when the last one was. */
    record Settled(long count, OffsetDateTime last) {
    }

    private final Connection connection;

    WindowProbe(String jdbcUrl) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    synchronized Settled settled(OffsetDateTime since) {
        try (PreparedStatement s = connection.prepareStatement("""
                select count(*), max(follow_ups_completed_at) from declaration.declaration
                where submitted_at >= ? and (follow_ups_completed_at is not null or status = 'HELD')""")) {
            s.setObject(1, since);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Settled(rs.getLong(1), rs.getObject(2, OffsetDateTime.class));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the window's table: " + e.getMessage(), e);
        }
    }

    synchronized Map<String, Integer> outcomes(OffsetDateTime since) {
        Map<String, Integer> out = new TreeMap<>();
        try (PreparedStatement s = connection.prepareStatement(
                "select status, count(*) from declaration.declaration where submitted_at >= ? group by status")) {
            s.setObject(1, since);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the window's table: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
