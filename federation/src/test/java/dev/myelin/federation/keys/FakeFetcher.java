package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An in-memory network: each server answers {@code /_matrix/key/v2/server} with what
 * {@link #serve} set (or fails when nothing is set), each notary answers queries with the
 * documents {@link #notarise} set. Counts the calls.
 */
final class FakeFetcher implements KeyFetcher {
    final Map<ServerName, Supplier<ObjectNode>> direct = new ConcurrentHashMap<>();
    final Map<ServerName, List<ObjectNode>> notary = new ConcurrentHashMap<>();
    final Map<ServerName, AtomicInteger> directCalls = new ConcurrentHashMap<>();
    final Map<ServerName, AtomicInteger> notaryCalls = new ConcurrentHashMap<>();
    final Map<ServerName, Long> lastMinimumValidUntil = new ConcurrentHashMap<>();

    void serve(ServerName server, ObjectNode doc) {
        direct.put(server, () -> doc);
    }

    void down(ServerName server) {
        direct.remove(server);
    }

    void notarise(ServerName notaryServer, ObjectNode... docs) {
        notary.put(notaryServer, List.of(docs));
    }

    int directCalls(ServerName server) {
        return directCalls.getOrDefault(server, new AtomicInteger()).get();
    }

    int notaryCalls(ServerName server) {
        return notaryCalls.getOrDefault(server, new AtomicInteger()).get();
    }

    @Override
    public ObjectNode fetchDirect(ServerName server) {
        directCalls.computeIfAbsent(server, s -> new AtomicInteger()).incrementAndGet();
        Supplier<ObjectNode> s = direct.get(server);
        if (s == null) {
            throw new IllegalStateException("connection refused: " + server);
        }
        return s.get().deepCopy();
    }

    @Override
    public ObjectNode queryNotary(ServerName notaryServer, ServerName server, long minimumValidUntilTs) {
        notaryCalls.computeIfAbsent(notaryServer, s -> new AtomicInteger()).incrementAndGet();
        lastMinimumValidUntil.put(notaryServer, minimumValidUntilTs);
        List<ObjectNode> docs = notary.get(notaryServer);
        if (docs == null) {
            throw new IllegalStateException("connection refused: " + notaryServer);
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode list = body.putArray("server_keys");
        docs.forEach(d -> list.add(d.deepCopy()));
        return body;
    }
}
