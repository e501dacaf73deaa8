// Push rules and unread counts with matrix-js-sdk: another member's message and mention raise
// the counts the SDK shows, the user's own push rules (added, disabled, a muted sender) reach
// the SDK through sync and change what counts, and the user's own message marks the room read.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, clientFor, ok, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

const { Total, Highlight } = sdk.NotificationCountType;

test("unread counts and push rules follow other members' messages and the user's rules", LIMITS, async () => {
  const [aliceAccount, bobAccount, carolAccount] = await Promise.all(
    ["alice", "bob", "carol"].map((name) => registerWithSdk(uniqueName(name))));
  const alice = clientFor(aliceAccount);
  const bob = clientFor(bobAccount);
  const carol = clientFor(carolAccount);
  clients.push(alice, bob, carol);
  await Promise.all([startClient(alice), startClient(bob), startClient(carol)]);

  const { room_id: roomId } = await alice.createRoom({ name: "Push", preset: sdk.Preset.PublicChat });
  await bob.joinRoom(roomId);
  await carol.joinRoom(roomId);
  await untilSynced(bob, () => bob.getRoom(roomId)?.getJoinedMemberCount() === 3, WAIT, "bob to see three members");
  const counts = () => {
    const room = bob.getRoom(roomId);
    return [room?.getUnreadNotificationCount(Total) ?? -1, room?.getUnreadNotificationCount(Highlight) ?? -1];
  };
  const countsBecome = (expected, what) =>
    untilSynced(bob, () => JSON.stringify(counts()) === JSON.stringify(expected), WAIT,
      `${what}: bob's counts to be ${expected} (are ${counts()})`);

  // A plain message counts; a mention also highlights.
  await alice.sendTextMessage(roomId, "Hello everyone");
  await countsBecome([1, 0], "after a plain message");
  await alice.sendMessage(roomId, {
    msgtype: "m.text", body: "Bob, look at this", "m.mentions": { user_ids: [bob.getUserId()] },
  });
  await countsBecome([2, 1], "after a mention");

  // Bob's own message marks the room as read for him.
  await bob.sendTextMessage(roomId, "I'm here");
  await countsBecome([0, 0], "after bob's own message");

  // A rule bob adds reaches his client through sync, and can be disabled.
  const ruleId = uniqueName("e2e-rule");
  await bob.addPushRule("global", sdk.PushRuleKind.Override, ruleId, {
    actions: ["notify", { set_tweak: "highlight" }],
    conditions: [{ kind: "event_match", key: "content.body", pattern: "*cake*" }],
  });
  const rule = () => bob.pushRules?.global?.override?.find((r) => r.rule_id === ruleId);
  await untilSynced(bob, () => rule()?.enabled === true, WAIT, "bob's new rule in client.pushRules");
  await alice.sendTextMessage(roomId, "there is cake");
  await countsBecome([1, 1], "after a message that the new rule highlights");
  await bob.setPushRuleEnabled("global", sdk.PushRuleKind.Override, ruleId, false);
  await untilSynced(bob, () => rule()?.enabled === false, WAIT, "bob's rule disabled in client.pushRules");
  await alice.sendTextMessage(roomId, "more cake");
  await countsBecome([2, 1], "after the same words with the rule disabled");

  // A sender rule without actions mutes carol for bob, but not for alice.
  await bob.addPushRule("global", sdk.PushRuleKind.SenderSpecific, carol.getUserId(), { actions: [] });
  await untilSynced(bob, () => bob.pushRules?.global?.sender?.some((r) => r.rule_id === carol.getUserId()),
    WAIT, "bob's sender rule in client.pushRules");
  await carol.sendTextMessage(roomId, "you won't hear this, Bob");
  await untilSynced(alice, () => alice.getRoom(roomId)?.getUnreadNotificationCount(Total) === 1, WAIT,
    "alice to count carol's message after her own");
  await alice.sendTextMessage(roomId, "last one");
  await countsBecome([3, 1], "after carol's muted message and alice's next one");

  // GET /notifications lists what notified bob, newest first.
  const { notifications } = await ok("GET", "/_matrix/client/v3/notifications", { token: bobAccount.accessToken });
  assert.deepEqual(notifications.map((n) => n.event.content.body),
    ["last one", "more cake", "there is cake", "Bob, look at this", "Hello everyone"]);
  assert.ok(notifications.every((n) => n.room_id === roomId));
  assert.deepEqual(notifications.map((n) => n.read), [false, false, false, true, true]);
});
