// Room upgrades with matrix-js-sdk: one user upgrades a room, the other sees the tombstone through
// sync, follows it to the replacement room and chats there; the old room no longer takes messages.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, MessageLog, clientFor, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

test("a room upgrade is followed through its tombstone", LIMITS, async () => {
  const alice = clientFor(await registerWithSdk(uniqueName("alice")));
  const bob = clientFor(await registerWithSdk(uniqueName("bob")));
  clients.push(alice, bob);
  await Promise.all([startClient(alice, 20), startClient(bob, 20)]);

  const name = `Upgrade ${uniqueName("room")}`;
  const { room_id: oldRoomId } = await alice.createRoom({ name, preset: sdk.Preset.PublicChat, room_version: "10" });
  await bob.joinRoom(oldRoomId);
  await untilSynced(bob, () => bob.getRoom(oldRoomId)?.getMyMembership() === "join", WAIT, "bob to join the old room");
  await untilSynced(alice, () => alice.getRoom(oldRoomId)?.getMember(bob.getUserId())?.membership === "join", WAIT,
    "alice to see bob join");

  // The server's capabilities name version 10 as the default: no upgrade is recommended.
  const recommended = await alice.getRoom(oldRoomId).getRecommendedVersion();
  assert.equal(recommended.version, "10");
  assert.equal(recommended.needsUpgrade, false);

  const { replacement_room: newRoomId } = await alice.upgradeRoom(oldRoomId, "11");
  assert.match(newRoomId, /^!.+:.+$/);
  assert.notEqual(newRoomId, oldRoomId);

  // Bob learns of the upgrade only through his sync loop.
  const tombstoneAtBob = () => bob.getRoom(oldRoomId)?.currentState.getStateEvents("m.room.tombstone", "");
  await untilSynced(bob, () => tombstoneAtBob() != null, WAIT, "bob to see the tombstone");
  assert.equal(tombstoneAtBob().getContent().replacement_room, newRoomId);
  assert.equal(tombstoneAtBob().getSender(), alice.getUserId());

  // Alice is already in the replacement room; its create event names the old room.
  await untilSynced(alice, () => alice.getRoom(newRoomId)?.getMyMembership() === "join", WAIT,
    "alice to be in the replacement room");
  const predecessor = alice.getRoom(newRoomId).findPredecessor();
  assert.equal(predecessor?.roomId, oldRoomId);
  assert.ok(predecessor.eventId?.startsWith("$"), `predecessor event ID ${predecessor.eventId}`);
  assert.equal(alice.getRoom(newRoomId).getVersion(), "11");

  await bob.joinRoom(newRoomId);
  await untilSynced(bob, () => bob.getRoom(newRoomId)?.getMyMembership() === "join", WAIT,
    "bob to join the replacement room");
  await untilSynced(bob, () => bob.getRoom(newRoomId)?.name === name, WAIT, "bob to see the copied room name");
  assert.equal(bob.getRoom(newRoomId).findPredecessor()?.roomId, oldRoomId);

  const atAlice = new MessageLog(alice, newRoomId);
  try {
    const { event_id: eventId } = await bob.sendTextMessage(newRoomId, "made it across");
    const [received] = await atAlice.waitFor(1, WAIT);
    assert.deepEqual(received, { id: eventId, sender: bob.getUserId(), body: "made it across" });
  } finally {
    atAlice.close();
  }

  // The old room's power levels now keep ordinary members quiet.
  await assert.rejects(bob.sendTextMessage(oldRoomId, "anyone here?"), (error) => {
    assert.equal(error.errcode, "M_FORBIDDEN");
    return true;
  });
});
