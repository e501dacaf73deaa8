// Read receipts, typing notices and presence between matrix-js-sdk clients, each seen live through
// the other side's sync loop.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, clientFor, nextEvent, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

/** Alice and Bob in one public room, both clients synced; Carol synced but in no room with them. */
async function setUp() {
  const [aliceAccount, bobAccount, carolAccount] = await Promise.all(
    ["alice", "bob", "carol"].map((name) => registerWithSdk(uniqueName(name))));
  const [alice, bob, carol] = [aliceAccount, bobAccount, carolAccount].map(clientFor);
  clients.push(alice, bob, carol);
  await Promise.all([startClient(alice), startClient(bob), startClient(carol)]);
  const { room_id: roomId } = await alice.createRoom({ preset: sdk.Preset.PublicChat, name: uniqueName("Ephemeral") });
  await bob.joinRoom(roomId);
  await untilSynced(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId())?.membership === "join", WAIT,
    "alice to see bob join");
  await untilSynced(bob, () => bob.getRoom(roomId)?.getMyMembership() === "join", WAIT, "bob's room");
  return { alice, bob, carol, roomId };
}

test("read receipts, typing and presence reach the other member live", LIMITS, async () => {
  const { alice, bob, carol, roomId } = await setUp();
  const aliceId = alice.getUserId();
  const bobId = bob.getUserId();

  // Read receipts: Bob reads Alice's message; Alice's client learns it from an m.receipt.
  const { event_id: firstId } = await alice.sendTextMessage(roomId, "did you read this?");
  await untilSynced(bob, () => bob.getRoom(roomId)?.findEventById(firstId), WAIT, "bob to receive the message");
  const first = bob.getRoom(roomId).findEventById(firstId);
  const seen = nextEvent(alice, sdk.RoomEvent.Receipt,
    (event, room) => room.roomId === roomId && room.getReadReceiptForUserId(bobId)?.eventId === firstId,
    WAIT, "alice to receive bob's read receipt");
  await bob.sendReadReceipt(first, sdk.ReceiptType.Read);
  await seen;
  const aliceRoom = alice.getRoom(roomId);
  assert.ok(aliceRoom.getUsersReadUpTo(aliceRoom.findEventById(firstId)).includes(bobId));

  // A private receipt on a later message: Bob's own client has it, Alice's never does.
  const { event_id: secondId } = await alice.sendTextMessage(roomId, "and this one?");
  await untilSynced(bob, () => bob.getRoom(roomId)?.findEventById(secondId), WAIT, "bob to receive the second");
  await bob.sendReadReceipt(bob.getRoom(roomId).findEventById(secondId), sdk.ReceiptType.ReadPrivate);
  await untilSynced(bob, () => bob.getRoom(roomId).getReadReceiptForUserId(bobId, true, sdk.ReceiptType.ReadPrivate)
    ?.eventId === secondId, WAIT, "bob's own private receipt to come back through his sync");

  // Typing: Alice sees Bob start and stop. (This also proves Alice synced past the private receipt.)
  const typing = nextEvent(alice, sdk.RoomMemberEvent.Typing,
    (event, member) => member.roomId === roomId && member.userId === bobId && member.typing === true,
    WAIT, "alice to see bob typing");
  await bob.sendTyping(roomId, true, 20000);
  await typing;
  assert.equal(alice.getRoom(roomId).getReadReceiptForUserId(bobId, true, sdk.ReceiptType.ReadPrivate), null,
    "a private receipt never reaches other users");
  assert.equal(alice.getRoom(roomId).getReadReceiptForUserId(bobId, true)?.eventId, firstId,
    "bob's public receipt stays where it was");
  const stopped = nextEvent(alice, sdk.RoomMemberEvent.Typing,
    (event, member) => member.roomId === roomId && member.userId === bobId && member.typing === false,
    WAIT, "alice to see bob stop typing");
  await bob.sendTyping(roomId, false, 0);
  await stopped;

  // Presence: syncing made both online; Bob steps away with a status message.
  await untilSynced(alice, () => alice.getUser(bobId)?.presence === "online", WAIT, "alice to see bob online");
  const away = nextEvent(alice, sdk.UserEvent.Presence,
    (event, user) => user.userId === bobId && user.presence === "unavailable", WAIT, "alice to see bob away");
  await bob.setPresence({ presence: "unavailable", status_msg: "out for lunch" });
  await away;
  assert.equal(alice.getUser(bobId).presenceStatusMsg, "out for lunch");
  await untilSynced(bob, () => bob.getUser(aliceId)?.presence === "online", WAIT, "bob to see alice online");
  assert.notEqual(carol.getUser(bobId)?.presence, "unavailable", "carol shares no room with bob");
  assert.equal(carol.getUser(aliceId), null, "carol is sent no presence of strangers");
});
