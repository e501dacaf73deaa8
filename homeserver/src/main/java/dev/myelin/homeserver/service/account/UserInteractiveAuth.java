package dev.myelin.homeserver.service.account;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User-interactive authentication: answers 401 with the flows and a session until the client has
 * completed every stage of one flow, checking each stage it submits.
 */
public final class UserInteractiveAuth {
    /** Checks one submitted stage (the {@code auth} object); true when it passes. */
    @FunctionalInterface
    public interface StageCheck {
        boolean passes(String stageType, JsonNode auth);
    }

    private static final long SESSION_LIFETIME_MS = 15 * 60 * 1000;

    private record Session(Set<String> completed, long createdTs) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * Returns when the request's {@code auth} completes one of {@code flows}; otherwise throws the
     * 401 challenge (with M_FORBIDDEN when a submitted stage failed).
     */
    public void require(JsonNode auth, List<List<String>> flows, StageCheck check) {
        expireOldSessions();
        if (auth == null || auth.isNull() || !auth.isObject()) {
            throw challenge(newSession(), flows, Set.of(), null);
        }
        String sessionId = auth.path("session").asText(null);
        Session session = sessionId == null ? null : sessions.get(sessionId);
        if (session == null) {
            sessionId = newSession();
            session = sessions.get(sessionId);
        }
        String type = auth.path("type").asText(null);
        if (type == null) {
            throw challenge(sessionId, flows, session.completed(), null);
        }
        boolean offered = flows.stream().anyMatch(flow -> flow.contains(type));
        if (!offered) {
            throw challenge(sessionId, flows, session.completed(),
                    new MatrixException(ErrCode.M_UNRECOGNIZED, "Unknown authentication type " + type));
        }
        if (!check.passes(type, auth)) {
            throw challenge(sessionId, flows, session.completed(),
                    MatrixException.forbidden("Invalid authentication for " + type));
        }
        session.completed().add(type);
        for (List<String> flow : flows) {
            if (session.completed().containsAll(flow)) {
                sessions.remove(sessionId);
                return;
            }
        }
        throw challenge(sessionId, flows, session.completed(), null);
    }

    private String newSession() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(Collections.synchronizedSet(new LinkedHashSet<>()),
                System.currentTimeMillis()));
        return id;
    }

    private void expireOldSessions() {
        long cutoff = System.currentTimeMillis() - SESSION_LIFETIME_MS;
        sessions.values().removeIf(s -> s.createdTs() < cutoff);
    }

    private static MatrixException challenge(String session, List<List<String>> flows, Set<String> completed,
                                             MatrixException failure) {
        Map<String, Object> body = new HashMap<>();
        List<Map<String, Object>> flowList = new ArrayList<>();
        for (List<String> flow : flows) {
            flowList.add(Map.of("stages", flow));
        }
        body.put("flows", flowList);
        body.put("params", Map.of());
        body.put("session", session);
        if (!completed.isEmpty()) {
            body.put("completed", List.copyOf(completed));
        }
        if (failure == null) {
            // The first challenge of a flow carries no errcode, as in the spec's examples.
            return new MatrixException(null, 401, "Additional authentication is required", body);
        }
        return new MatrixException(failure.errcode(), 401, failure.getMessage(), body);
    }
}
