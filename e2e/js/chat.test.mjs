// Two matrix-js-sdk clients chat live: create a room, invite, join, and exchange messages
// that each side receives through its sync loop.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, MessageLog, clientFor, nextEvent, ok, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

test("two matrix-js-sdk clients chat in a private room", LIMITS, async () => {
  const aliceAccount = await registerWithSdk(uniqueName("alice"));
  const bobAccount = await registerWithSdk(uniqueName("bob"));
  const alice = clientFor(aliceAccount);
  const bob = clientFor(bobAccount);
  clients.push(alice, bob);
  await Promise.all([startClient(alice, 20), startClient(bob, 20)]);

  const roomName = `Chat ${uniqueName("room")}`;
  const { room_id: roomId } = await alice.createRoom({ name: roomName, preset: sdk.Preset.PrivateChat });
  assert.match(roomId, /^!.+:.+$/);

  // Bob learns about the invite only through his sync loop.
  const invited = nextEvent(bob, sdk.RoomMemberEvent.Membership,
    (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "invite",
    WAIT, "bob's invite to arrive by sync");
  const bobJoinedAtAlice = nextEvent(alice, sdk.RoomMemberEvent.Membership,
    (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "join",
    WAIT, "alice to see bob join");
  await alice.invite(roomId, bob.getUserId());
  const [inviteEvent] = await invited;
  assert.equal(inviteEvent.getSender(), alice.getUserId());
  assert.equal(bob.getRoom(roomId)?.getMyMembership(), "invite");

  await bob.joinRoom(roomId);
  await bobJoinedAtAlice;
  await untilSynced(bob, () => bob.getRoom(roomId)?.getMyMembership() === "join", WAIT, "bob's room to show him joined");
  await untilSynced(bob, () => bob.getRoom(roomId)?.name === roomName, WAIT, `bob to see the room name "${roomName}"`);

  const atAlice = new MessageLog(alice, roomId);
  const atBob = new MessageLog(bob, roomId);
  try {
    // A conversation in turns: each message must reach the other side before the reply.
    const turns = [
      [alice, "Hi Bob!"], [bob, "Hello Alice."], [alice, "How are you?"], [bob, "Fine, thanks."],
    ];
    let expectAtAlice = 0;
    let expectAtBob = 0;
    for (const [sender, body] of turns) {
      const { event_id: eventId } = await sender.sendTextMessage(roomId, body);
      const [log, count] = sender === alice ? [atBob, ++expectAtBob] : [atAlice, ++expectAtAlice];
      const received = await log.waitFor(count, WAIT);
      assert.deepEqual(received.at(-1), { id: eventId, sender: sender.getUserId(), body });
    }

    // A burst: five messages sent back to back arrive complete and in order.
    const burst = ["one", "two", "three", "four", "five"].map((word) => `burst ${word}`);
    for (const body of burst) await alice.sendTextMessage(roomId, body);
    const all = await atBob.waitFor(expectAtBob + burst.length, WAIT);
    assert.deepEqual(all.map((m) => m.body), ["Hi Bob!", "How are you?", ...burst]);
    assert.ok(all.every((m) => m.sender === alice.getUserId()));
    assert.deepEqual(atAlice.messages.map((m) => m.body), ["Hello Alice.", "Fine, thanks."]);
  } finally {
    atAlice.close();
    atBob.close();
  }

  // Both timelines agree on the order of the whole conversation.
  const bodies = (client) => client.getRoom(roomId).getLiveTimeline().getEvents()
    .filter((event) => event.getType() === "m.room.message").map((event) => event.getContent().body);
  await untilSynced(alice, () => bodies(alice).length === 9, WAIT, "alice's timeline to hold 9 messages");
  assert.deepEqual(bodies(alice), bodies(bob));

  const members = await ok("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`,
    { token: aliceAccount.accessToken });
  assert.deepEqual(Object.keys(members.joined).sort(), [alice.getUserId(), bob.getUserId()].sort());
  const sdkMembers = await bob.getJoinedRoomMembers(roomId);
  assert.deepEqual(Object.keys(sdkMembers.joined).sort(), Object.keys(members.joined).sort());
});
