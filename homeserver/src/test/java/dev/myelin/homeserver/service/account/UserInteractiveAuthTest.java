package dev.myelin.homeserver.service.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link UserInteractiveAuth}: the 401 challenge, failed stages and completing a flow. */
class UserInteractiveAuthTest {
    private static final List<List<String>> DUMMY = List.of(List.of("m.login.dummy"));
    private static final List<List<String>> TWO_STAGES = List.of(List.of("m.login.terms", "m.login.dummy"));
    /** Passes every stage except a password other than "right". */
    private static final UserInteractiveAuth.StageCheck CHECK =
            (type, auth) -> !type.equals("m.login.password") || "right".equals(auth.path("password").asText());

    private final UserInteractiveAuth uia = new UserInteractiveAuth();

    @Test
    void noAuthGetsAChallengeWithFlowsAndSessionButNoErrcode() {
        MatrixException e = challenge(() -> uia.require(null, DUMMY, CHECK));
        assertEquals(401, e.status());
        assertNull(e.errcode());
        assertEquals(List.of(Map.of("stages", List.of("m.login.dummy"))), e.extra().get("flows"));
        assertEquals(Map.of(), e.extra().get("params"));
        assertTrue(e.extra().get("session") instanceof String s && !s.isEmpty());
        assertFalse(e.extra().containsKey("completed"));
        JsonNode body = Json.readTree(Json.writeString(e.extra()));
        assertFalse(body.has("errcode"));
    }

    @Test
    void everyChallengeHasItsOwnSession() {
        Object first = challenge(() -> uia.require(null, DUMMY, CHECK)).extra().get("session");
        Object second = challenge(() -> uia.require(Json.readTree("{}"), DUMMY, CHECK)).extra().get("session");
        assertNotEquals(first, second);
    }

    @Test
    void completingTheOnlyStageReturns() {
        String session = session(DUMMY);
        assertDoesNotThrow(() -> uia.require(auth("m.login.dummy", session), DUMMY, CHECK));
    }

    @Test
    void aCompletedSessionCannotBeReplayed() {
        String session = session(DUMMY);
        uia.require(auth("m.login.dummy", session), DUMMY, CHECK);
        MatrixException e = challenge(() -> uia.require(Json.readTree("{\"session\":\"" + session + "\"}"),
                DUMMY, CHECK));
        assertNotEquals(session, e.extra().get("session"));
    }

    @Test
    void stageThatIsNotOfferedIsRefusedWithCompletedStages() {
        String session = session(TWO_STAGES);
        challenge(() -> uia.require(auth("m.login.terms", session), TWO_STAGES, CHECK));
        MatrixException e = challenge(() -> uia.require(auth("m.login.password", session), TWO_STAGES, CHECK));
        assertEquals(401, e.status());
        assertEquals(ErrCode.M_UNRECOGNIZED, e.errcode());
        assertEquals(session, e.extra().get("session"));
        assertEquals(List.of("m.login.terms"), e.extra().get("completed"));
    }

    @Test
    void failedStageIsForbiddenAndKeepsTheSession() {
        List<List<String>> flows = List.of(List.of("m.login.password"));
        String session = session(flows);
        JsonNode wrong = Json.readTree("{\"type\":\"m.login.password\",\"password\":\"wrong\",\"session\":\""
                + session + "\"}");
        MatrixException e = challenge(() -> uia.require(wrong, flows, CHECK));
        assertEquals(401, e.status());
        assertEquals(ErrCode.M_FORBIDDEN, e.errcode());
        assertEquals(session, e.extra().get("session"));
        assertEquals(List.of(Map.of("stages", List.of("m.login.password"))), e.extra().get("flows"));
        JsonNode right = Json.readTree("{\"type\":\"m.login.password\",\"password\":\"right\",\"session\":\""
                + session + "\"}");
        assertDoesNotThrow(() -> uia.require(right, flows, CHECK));
    }

    @Test
    void forbiddenAfterACompletedStageListsIt() {
        List<List<String>> flows = List.of(List.of("m.login.dummy", "m.login.password"));
        String session = session(flows);
        challenge(() -> uia.require(auth("m.login.dummy", session), flows, CHECK));
        MatrixException e = challenge(() -> uia.require(Json.readTree(
                "{\"type\":\"m.login.password\",\"password\":\"no\",\"session\":\"" + session + "\"}"), flows, CHECK));
        assertEquals(ErrCode.M_FORBIDDEN, e.errcode());
        assertEquals(List.of("m.login.dummy"), e.extra().get("completed"));
    }

    @Test
    void multiStageFlowCompletesStageByStage() {
        String session = session(TWO_STAGES);
        MatrixException afterFirst = challenge(() -> uia.require(auth("m.login.terms", session), TWO_STAGES, CHECK));
        assertNull(afterFirst.errcode());
        assertEquals(session, afterFirst.extra().get("session"));
        assertEquals(List.of("m.login.terms"), afterFirst.extra().get("completed"));
        assertDoesNotThrow(() -> uia.require(auth("m.login.dummy", session), TWO_STAGES, CHECK));
    }

    @Test
    void unknownSessionStartsAFreshOne() {
        MatrixException e = challenge(() -> uia.require(auth("m.login.terms", "made-up"), TWO_STAGES, CHECK));
        assertNotEquals("made-up", e.extra().get("session"));
        assertEquals(List.of("m.login.terms"), e.extra().get("completed"));
    }

    private String session(List<List<String>> flows) {
        return (String) challenge(() -> uia.require(null, flows, CHECK)).extra().get("session");
    }

    private static JsonNode auth(String type, String session) {
        return Json.readTree("{\"type\":\"" + type + "\",\"session\":\"" + session + "\"}");
    }

    private static MatrixException challenge(Executable call) {
        return assertThrows(MatrixException.class, call);
    }
}
