package dev.myelin.homeserver.service.push.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.PushRules;
import org.junit.jupiter.api.Test;

/** The push-rule evaluator against the spec's conditions, kinds, actions and default rules. */
class PushRuleSetTest {
    private static final UserId ALICE = UserId.of("@alice:example.org");
    private final PushRuleSet defaults = PushRuleSet.compile(new PushRules().forUser(ALICE));

    private static ObjectNode message(String body) {
        return Json.readObject("{\"type\":\"m.room.message\",\"sender\":\"@bob:example.org\","
                + "\"room_id\":\"!r:example.org\",\"content\":{\"msgtype\":\"m.text\",\"body\":"
                + Json.writeString(Json.MAPPER.getNodeFactory().textNode(body)) + "}}");
    }

    private static PushContext context(ObjectNode event, int members) {
        return new PushContext(event, members, "Alice Liddell", 0, null);
    }

    private static PushRuleSet rules(String json) {
        return PushRuleSet.compile(Json.readObject(json));
    }

    private static PushRuleSet override(String conditions) {
        return rules("{\"override\":[{\"rule_id\":\"r\",\"enabled\":true,\"conditions\":" + conditions
                + ",\"actions\":[\"notify\"]}]}");
    }

    @Test
    void plainMessageInGroupNotifiesWithoutHighlight() {
        PushActions actions = defaults.evaluate(context(message("hello"), 5));
        assertEquals(".m.rule.message", defaults.matchingRule(context(message("hello"), 5)));
        assertTrue(actions.notifies());
        assertFalse(actions.highlight());
    }

    @Test
    void oneToOneRoomRingsTheDefaultSound() {
        PushActions actions = defaults.evaluate(context(message("hello"), 2));
        assertEquals(".m.rule.room_one_to_one", defaults.matchingRule(context(message("hello"), 2)));
        assertEquals("default", actions.tweaks().path("sound").asText());
    }

    @Test
    void displayNameAndUserNameHighlightAtWordBoundaries() {
        assertTrue(defaults.evaluate(context(message("hi alice liddell, welcome"), 5)).highlight());
        assertEquals(".m.rule.contains_display_name",
                defaults.matchingRule(context(message("hi ALICE LIDDELL!"), 5)));
        assertEquals(".m.rule.contains_user_name", defaults.matchingRule(context(message("ping alice"), 5)));
        assertFalse(defaults.evaluate(context(message("malice aforethought"), 5)).highlight());
    }

    @Test
    void mentionsHighlight() {
        ObjectNode event = message("hey");
        ((ObjectNode) event.get("content")).putObject("m.mentions").putArray("user_ids").add(ALICE.value());
        assertEquals(".m.rule.is_user_mention", defaults.matchingRule(context(event, 5)));
        assertTrue(defaults.evaluate(context(event, 5)).highlight());
    }

    @Test
    void roomMentionNeedsTheSendersNotificationPowerLevel() {
        ObjectNode event = message("everyone");
        ((ObjectNode) event.get("content")).putObject("m.mentions").put("room", true);
        PushContext weak = new PushContext(event, 5, null, 0, null);
        PushContext strong = new PushContext(event, 5, null, 50, null);
        PushContext lowered = new PushContext(event, 5, null, 10, Json.readObject("{\"room\":10}"));
        assertEquals(".m.rule.message", defaults.matchingRule(weak));
        assertEquals(".m.rule.is_room_mention", defaults.matchingRule(strong));
        assertEquals(".m.rule.is_room_mention", defaults.matchingRule(lowered));
    }

    @Test
    void noticesEditsAndReactionsDoNotNotify() {
        ObjectNode notice = message("bot says");
        ((ObjectNode) notice.get("content")).put("msgtype", "m.notice");
        assertFalse(defaults.evaluate(context(notice, 5)).notifies());
        ObjectNode edit = message("* fixed");
        ((ObjectNode) edit.get("content")).putObject("m.relates_to").put("rel_type", "m.replace");
        assertEquals(".m.rule.suppress_edits", defaults.matchingRule(context(edit, 5)));
        assertFalse(defaults.evaluate(context(edit, 5)).notifies());
        ObjectNode reaction = Json.readObject("{\"type\":\"m.reaction\",\"content\":{}}");
        assertFalse(defaults.evaluate(context(reaction, 5)).notifies());
    }

    @Test
    void inviteForMeNotifiesOtherMemberEventsDoNot() {
        ObjectNode invite = Json.readObject("{\"type\":\"m.room.member\",\"state_key\":\"@alice:example.org\","
                + "\"content\":{\"membership\":\"invite\"}}");
        assertEquals(".m.rule.invite_for_me", defaults.matchingRule(context(invite, 3)));
        assertTrue(defaults.evaluate(context(invite, 3)).notifies());
        ObjectNode join = Json.readObject("{\"type\":\"m.room.member\",\"state_key\":\"@carol:example.org\","
                + "\"content\":{\"membership\":\"join\"}}");
        assertFalse(defaults.evaluate(context(join, 3)).notifies());
    }

    @Test
    void theTemplateDecidesLikeTheUsersDefaultsWhenNothingPersonalHolds() {
        PushRuleSet template = PushRuleSet.compile(new PushRules().template());
        ObjectNode notice = message("status");
        ((ObjectNode) notice.get("content")).put("msgtype", "m.notice");
        ObjectNode roomMention = message("all of you");
        ((ObjectNode) roomMention.get("content")).putObject("m.mentions").put("room", true);
        ObjectNode otherInvite = Json.readObject("{\"type\":\"m.room.member\",\"state_key\":\"@carol:example.org\","
                + "\"content\":{\"membership\":\"invite\"}}");
        for (ObjectNode event : java.util.List.of(message("hello"), notice, roomMention, otherInvite)) {
            for (int members : new int[] {2, 7}) {
                PushContext asAlice = new PushContext(event, members, "Alice Liddell", 50, null);
                PushContext asNobody = new PushContext(event, members, null, 50, null);
                assertEquals(defaults.matchingRule(asAlice), template.matchingRule(asNobody), event + " in " + members);
            }
        }
        assertEquals(".m.rule.message", template.matchingRule(
                new PushContext(message("alice Liddell alice"), 5, null, 0, null)));
    }

    @Test
    void contentRulesMatchWordsOfTheBodyWithOrWithoutWildcards() {
        PushRuleSet set = rules("{\"content\":[{\"rule_id\":\"c\",\"enabled\":true,\"pattern\":\"ca?e*\","
                + "\"actions\":[\"notify\"]},{\"rule_id\":\"d\",\"enabled\":true,\"pattern\":\"Dog\","
                + "\"actions\":[\"notify\"]}]}");
        assertEquals("c", set.matchingRule(context(message("Want some CAKES?"), 3)));
        assertEquals("c", set.matchingRule(context(message("cave"), 3)));
        assertNull(set.matchingRule(context(message("arcade"), 3)));
        assertEquals("d", set.matchingRule(context(message("my dog."), 3)));
        assertNull(set.matchingRule(context(message("dogma"), 3)));
    }

    @Test
    void eventMatchIsAWholeValueCaseInsensitiveGlob() {
        PushRuleSet set = override("[{\"kind\":\"event_match\",\"key\":\"content.body\",\"pattern\":\"he?lo*\"}]");
        assertTrue(set.evaluate(context(message("HELLO world"), 3)).notifies());
        assertTrue(set.evaluate(context(message("heylo"), 3)).notifies());
        assertFalse(set.evaluate(context(message("say hello"), 3)).notifies());
        assertFalse(set.evaluate(context(message("hlo"), 3)).notifies());
    }

    @Test
    void dottedKeysHonourEscapes() {
        ObjectNode event = message("x");
        ((ObjectNode) event.get("content")).put("a.b", "dotted");
        ((ObjectNode) event.get("content")).putObject("a").put("b", "nested");
        assertTrue(override("[{\"kind\":\"event_match\",\"key\":\"content.a\\\\.b\",\"pattern\":\"dotted\"}]")
                .evaluate(context(event, 3)).notifies());
        assertTrue(override("[{\"kind\":\"event_match\",\"key\":\"content.a.b\",\"pattern\":\"nested\"}]")
                .evaluate(context(event, 3)).notifies());
        assertEquals(java.util.List.of("a\\b", "c"), EventProperties.path("a\\\\b.c"));
    }

    @Test
    void eventPropertyIsComparesExactValues() {
        ObjectNode event = message("x");
        ((ObjectNode) event.get("content")).put("n", 3).put("flag", false).putNull("nothing");
        assertTrue(override("[{\"kind\":\"event_property_is\",\"key\":\"content.n\",\"value\":3}]")
                .evaluate(context(event, 3)).notifies());
        assertFalse(override("[{\"kind\":\"event_property_is\",\"key\":\"content.n\",\"value\":\"3\"}]")
                .evaluate(context(event, 3)).notifies());
        assertTrue(override("[{\"kind\":\"event_property_is\",\"key\":\"content.flag\",\"value\":false}]")
                .evaluate(context(event, 3)).notifies());
        assertTrue(override("[{\"kind\":\"event_property_is\",\"key\":\"content.nothing\",\"value\":null}]")
                .evaluate(context(event, 3)).notifies());
        assertFalse(override("[{\"kind\":\"event_property_is\",\"key\":\"content.missing\",\"value\":null}]")
                .evaluate(context(event, 3)).notifies());
        assertFalse(override("[{\"kind\":\"event_property_is\",\"key\":\"content.body\",\"value\":\"X\"}]")
                .evaluate(context(event, 3)).notifies());
    }

    @Test
    void eventPropertyContainsLooksInArrays() {
        ObjectNode event = message("x");
        ((ObjectNode) event.get("content")).putArray("tags").add("a").add(7);
        assertTrue(override("[{\"kind\":\"event_property_contains\",\"key\":\"content.tags\",\"value\":7}]")
                .evaluate(context(event, 3)).notifies());
        assertFalse(override("[{\"kind\":\"event_property_contains\",\"key\":\"content.tags\",\"value\":\"b\"}]")
                .evaluate(context(event, 3)).notifies());
        assertFalse(override("[{\"kind\":\"event_property_contains\",\"key\":\"content.body\",\"value\":\"x\"}]")
                .evaluate(context(event, 3)).notifies());
    }

    @Test
    void roomMemberCountOperators() {
        String[][] cases = {{"2", "2", "true"}, {"==2", "3", "false"}, {"<3", "2", "true"}, {"<3", "3", "false"},
            {">3", "4", "true"}, {"<=3", "3", "true"}, {">=3", "2", "false"}, {">=3", "3", "true"}, {"x", "3", "false"}};
        for (String[] c : cases) {
            PushRuleSet set = override("[{\"kind\":\"room_member_count\",\"is\":\"" + c[0] + "\"}]");
            assertEquals(Boolean.parseBoolean(c[2]),
                    set.evaluate(context(message("x"), Integer.parseInt(c[1]))).notifies(), c[0] + " with " + c[1]);
        }
    }

    @Test
    void kindsAreEvaluatedInSpecOrderAndDisabledRulesSkipped() {
        PushRuleSet set = rules("{\"underride\":[{\"rule_id\":\"u\",\"enabled\":true,\"conditions\":[],"
                + "\"actions\":[\"notify\"]}],"
                + "\"sender\":[{\"rule_id\":\"@bob:example.org\",\"enabled\":true,\"actions\":[]}],"
                + "\"room\":[{\"rule_id\":\"!r:example.org\",\"enabled\":false,\"actions\":[\"notify\"]}],"
                + "\"override\":[{\"rule_id\":\"o\",\"enabled\":true,\"conditions\":[{\"kind\":\"nonsense\"}],"
                + "\"actions\":[\"notify\"]}]}");
        assertEquals("@bob:example.org", set.matchingRule(context(message("x"), 3)));
        assertFalse(set.evaluate(context(message("x"), 3)).notifies());
        ObjectNode fromCarol = message("x");
        fromCarol.put("sender", "@carol:example.org");
        assertEquals("u", set.matchingRule(context(fromCarol, 3)));
    }

    @Test
    void actionsReadTweaksAndLegacyForms() {
        PushActions legacy = PushActions.of(Json.MAPPER.createArrayNode().add("dont_notify"));
        assertFalse(legacy.notifies());
        PushActions coalesce = PushActions.of(Json.MAPPER.createArrayNode().add("coalesce"));
        assertTrue(coalesce.notifies());
        PushActions tweaks = PushActions.of((com.fasterxml.jackson.databind.node.ArrayNode) Json.MAPPER
                .valueToTree(java.util.List.of("notify", java.util.Map.of("set_tweak", "highlight", "value", false),
                        java.util.Map.of("set_tweak", "sound", "value", "ring"))));
        assertFalse(tweaks.highlight());
        assertEquals("ring", tweaks.tweaks().path("sound").asText());
        assertNull(PushRuleSet.compile(Json.object()).matchingRule(context(message("x"), 3)));
    }
}
