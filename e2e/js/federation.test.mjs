// Two matrix-js-sdk clients on two federating Myelin servers (MYELIN_URL and MYELIN_URL_B):
// an invite across servers, the join, and a conversation each side receives through its sync.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, MessageLog, PASSWORD, clientFor, nextEvent, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 20000;
const otherServer = process.env.MYELIN_URL_B?.replace(/\/+$/, "");
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

test("matrix-js-sdk clients on two servers chat across federation",
  { ...LIMITS, skip: otherServer ? false : "MYELIN_URL_B names no second server" }, async () => {
    const alice = clientFor(await registerWithSdk(uniqueName("alice")));
    const bob = clientFor(await registerWithSdk(uniqueName("bob"), PASSWORD, otherServer));
    clients.push(alice, bob);
    assert.notEqual(alice.getDomain(), bob.getDomain(), "the two users live on different servers");
    await Promise.all([startClient(alice, 20), startClient(bob, 20)]);

    const roomName = `Across ${uniqueName("room")}`;
    const { room_id: roomId } = await alice.createRoom({ name: roomName, preset: sdk.Preset.PrivateChat });
    const invited = nextEvent(bob, sdk.RoomMemberEvent.Membership,
      (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "invite",
      WAIT, "bob's invite to arrive from the other server");
    const bobJoinedAtAlice = nextEvent(alice, sdk.RoomMemberEvent.Membership,
      (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "join",
      WAIT, "alice to see bob join from the other server");
    await alice.invite(roomId, bob.getUserId());
    await invited;

    await bob.joinRoom(roomId);
    await bobJoinedAtAlice;
    await untilSynced(bob, () => bob.getRoom(roomId)?.name === roomName, WAIT, `bob to see the room name "${roomName}"`);

    const atAlice = new MessageLog(alice, roomId);
    const atBob = new MessageLog(bob, roomId);
    try {
      const turns = [[alice, "Hello from one"], [bob, "Hello from two"], [alice, "Federation works"], [bob, "It does"]];
      let expectAtAlice = 0;
      let expectAtBob = 0;
      for (const [sender, body] of turns) {
        const { event_id: eventId } = await sender.sendTextMessage(roomId, body);
        const [log, count] = sender === alice ? [atBob, ++expectAtBob] : [atAlice, ++expectAtAlice];
        const received = await log.waitFor(count, WAIT);
        assert.deepEqual(received.at(-1), { id: eventId, sender: sender.getUserId(), body });
      }
    } finally {
      atAlice.close();
      atBob.close();
    }

    // Typing crosses over too.
    const typing = nextEvent(bob, sdk.RoomMemberEvent.Typing,
      (event, member) => member.roomId === roomId && member.userId === alice.getUserId() && member.typing,
      WAIT, "bob to see alice typing");
    await alice.sendTyping(roomId, true, 20000);
    await typing;
  });
