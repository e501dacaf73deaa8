package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.ServerName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@link FederationOutbox} on the {@code federation_outbox} table. */
public final class JdbcFederationOutbox implements FederationOutbox {
    private static final String INSERT = "INSERT INTO federation_outbox (id, destination, kind, payload) VALUES (?, ?, ?, ?)";
    private static final String PENDING = "SELECT id, payload FROM federation_outbox WHERE destination = ? AND kind = ? "
            + "ORDER BY id LIMIT ?";
    private static final String DESTINATIONS = "SELECT DISTINCT destination FROM federation_outbox";
    private static final String MAX = "SELECT COALESCE(MAX(id), 0) AS m FROM federation_outbox";

    private final Database db;
    private final AtomicLong ids;

    public JdbcFederationOutbox(Database db) {
        this.db = db;
        this.ids = new AtomicLong(db.execute().get(MAX).map(row -> Rows.longValue(row, "m")).orElse(0L));
    }

    @Override
    public void append(Collection<ServerName> destinations, Kind kind, String payload) {
        if (destinations.isEmpty()) {
            return;
        }
        db.inTransaction("federation_outbox_append", tx -> {
            for (ServerName destination : destinations) {
                tx.insert(INSERT, ids.incrementAndGet(), destination.value(), kind.name(), payload);
            }
        });
    }

    @Override
    public List<Entry> pending(ServerName destination, Kind kind, int limit) {
        return db.execute().query(PENDING, destination.value(), kind.name(), limit)
                .map(row -> new Entry(Rows.longValue(row, "id"), kind, Rows.string(row, "payload")))
                .toList();
    }

    @Override
    public void remove(ServerName destination, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("DELETE FROM federation_outbox WHERE destination = ? AND id IN (");
        params.add(destination.value());
        for (Long id : ids) {
            sql.append(params.size() == 1 ? "?" : ", ?");
            params.add(id);
        }
        db.execute().delete(sql.append(")").toString(), params.toArray());
    }

    @Override
    public List<ServerName> destinations() {
        return db.execute().query(DESTINATIONS).map(row -> new ServerName(Rows.string(row, "destination"))).toList();
    }
}
