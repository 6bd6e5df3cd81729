package org.sluice.channel.jdbc;

import java.io.ByteArrayOutputStream;
import java.sql.Blob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;

/**
 * The events an Apache Flume jdbc channel left in the database this channel opens, taken over: Flume's schema
 * {@code FLUME} (its JdbcChannel's Derby tables) holds a channel's events in {@code FL_EVENT} by its name
 * ({@code FLE_CHANNEL}), taken in the order of their ids ({@code FLE_ID}). A body longer than Flume's 16 KiB row limit
 * continues in {@code FL_PLSPILL}; a header ({@code FL_HEADER}, by event) whose name or value is longer than 251
 * bytes continues in {@code FL_NMSPILL} or {@code FL_VLSPILL}.
 *
 * <p>The channel's events are moved in the transaction that opens the channel: inserted into Sluice's tables after any
 * events there, in Flume's order, and deleted from Flume's, then committed together. A crash before the commit leaves
 * Flume's rows as they were; after it they are Sluice's. Flume's tables stay (other Flume channels' rows in them
 * are not touched).
 */
final class FlumeTables {
    private static final String SCHEMA = "FLUME";
    private static final int BATCH = 500;

    private FlumeTables() {
    }

    /**
     * Moves the events of Flume's channel {@code flumeName} into this channel's rows (key {@code key}), uncommitted.
     *
     * @return the number of events moved
     */
    static int takeOver(Connection connection, Database.Session session, String flumeName, String key)
            throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, SCHEMA, "FL_EVENT", null)) {
            if (!tables.next()) {
                return 0;
            }
        }
        long next = 1;
        try (PreparedStatement max = connection.prepareStatement(
                "SELECT MAX(SEQ) FROM SLUICE.EVENTS WHERE CHANNEL = ?")) {
            max.setString(1, key);
            try (ResultSet row = max.executeQuery()) {
                if (row.next()) {
                    next = row.getLong(1) + 1;
                }
            }
        }
        int moved = 0;
        try (PreparedStatement events = connection.prepareStatement("SELECT FLE_ID, FLE_PAYLOAD, FLE_SPILL FROM "
                + "FLUME.FL_EVENT WHERE FLE_CHANNEL = ? ORDER BY FLE_ID");
                PreparedStatement payloadSpill = connection.prepareStatement(
                        "SELECT FLP_SPILL FROM FLUME.FL_PLSPILL WHERE FLP_EVENT = ?");
                PreparedStatement headers = connection.prepareStatement("SELECT FLH_ID, FLH_NAME, FLH_VALUE, "
                        + "FLH_NMSPILL, FLH_VLSPILL FROM FLUME.FL_HEADER WHERE FLH_EVENT = ? ORDER BY FLH_ID");
                PreparedStatement nameSpill = connection.prepareStatement(
                        "SELECT FLN_SPILL FROM FLUME.FL_NMSPILL WHERE FLN_HEADER = ?");
                PreparedStatement valueSpill = connection.prepareStatement(
                        "SELECT FLV_SPILL FROM FLUME.FL_VLSPILL WHERE FLV_HEADER = ?")) {
            events.setString(1, flumeName);
            List<Event> batch = new ArrayList<>();
            try (ResultSet rows = events.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    byte[] payload = rows.getBytes(2);
                    if (rows.getBoolean(3)) {
                        payload = concat(payload, spilledPayload(payloadSpill, id));
                    }
                    batch.add(EventBuilder.withBody(payload, headersOf(headers, nameSpill, valueSpill, id)));
                    if (batch.size() == BATCH) {
                        session.insert(next, batch);
                        next += batch.size();
                        moved += batch.size();
                        batch.clear();
                    }
                }
            }
            session.insert(next, batch);
            moved += batch.size();
        }
        if (moved > 0) {
            deleteFlumeRows(connection, flumeName);
        }
        return moved;
    }

    private static Map<String, String> headersOf(PreparedStatement headers, PreparedStatement nameSpill,
            PreparedStatement valueSpill, long event) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        headers.setLong(1, event);
        try (ResultSet rows = headers.executeQuery()) {
            while (rows.next()) {
                long id = rows.getLong(1);
                String name = rows.getString(2);
                String value = rows.getString(3);
                if (rows.getBoolean(4)) {
                    name = name + spilledText(nameSpill, id);
                }
                if (rows.getBoolean(5)) {
                    value = value + spilledText(valueSpill, id);
                }
                result.put(name, value == null ? "" : value);
            }
        }
        return result;
    }

    private static byte[] spilledPayload(PreparedStatement spill, long event) throws SQLException {
        spill.setLong(1, event);
        try (ResultSet row = spill.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("Flume's event " + event + " says its body continues in FLUME.FL_PLSPILL, "
                        + "which has no row for it");
            }
            Blob blob = row.getBlob(1);
            return blob.getBytes(1, (int) blob.length());
        }
    }

    private static String spilledText(PreparedStatement spill, long header) throws SQLException {
        spill.setLong(1, header);
        try (ResultSet row = spill.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("Flume's header " + header + " says it continues in a spill table, which has "
                        + "no row for it");
            }
            return row.getString(1);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
        out.writeBytes(first);
        out.writeBytes(second);
        return out.toByteArray();
    }

    /** Spill rows first: they refer to the headers and events (Flume's foreign keys, when it created them). */
    private static void deleteFlumeRows(Connection connection, String flumeName) throws SQLException {
        String events = "SELECT FLE_ID FROM FLUME.FL_EVENT WHERE FLE_CHANNEL = ?";
        String headers = "SELECT FLH_ID FROM FLUME.FL_HEADER WHERE FLH_EVENT IN (" + events + ")";
        for (String delete : new String[] {
            "DELETE FROM FLUME.FL_NMSPILL WHERE FLN_HEADER IN (" + headers + ")",
            "DELETE FROM FLUME.FL_VLSPILL WHERE FLV_HEADER IN (" + headers + ")",
            "DELETE FROM FLUME.FL_HEADER WHERE FLH_EVENT IN (" + events + ")",
            "DELETE FROM FLUME.FL_PLSPILL WHERE FLP_EVENT IN (" + events + ")",
            "DELETE FROM FLUME.FL_EVENT WHERE FLE_CHANNEL = ?",
        }) {
            try (PreparedStatement statement = connection.prepareStatement(delete)) {
                statement.setString(1, flumeName);
                statement.executeUpdate();
            }
        }
    }
}
