package dev.runway.orchestrator.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.runway.testsupport.Backbone;

/** Plain JDBC to the backbone's Postgres: creating the run's database and reading what the service stored. */
final class PgAdmin {

    private PgAdmin() {
    }

    /** Runs a statement on the maintenance database (CREATE/DROP DATABASE cannot run inside the target). */
    static void execute(Backbone backbone, String sql) {
        try (Connection c = DriverManager.getConnection(backbone.jdbcPgUrl("postgres"), backbone.pgUser(), backbone.pgPassword());
                var statement = c.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query on {@code jdbcUrl}, each as column → value. */
    static List<Map<String, Object>> query(Backbone backbone, String jdbcUrl, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, backbone.pgUser(), backbone.pgPassword());
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
