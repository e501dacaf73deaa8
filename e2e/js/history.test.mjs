// History: a client that joins late pages back through /messages to the room's creation,
// and a client restarted with the same access token finds the recent messages again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LIMITS, clientFor, ok, register, startClient, untilSynced, uniqueName } from "./lib/matrix.mjs";

const COUNT = 60;
const WAIT = 20000;
const bodyOf = (i) => `history ${String(i).padStart(2, "0")}`;

let alice;
let bob;
let roomId;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

function started(account, initialSyncLimit) {
  const client = clientFor(account);
  clients.push(client);
  return startClient(client, initialSyncLimit, WAIT);
}

async function send(account, body, txnId) {
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txnId}`;
  return ok("PUT", path, { token: account.accessToken, body: { msgtype: "m.text", body } });
}

function messageBodies(room) {
  return room.getLiveTimeline().getEvents()
    .filter((event) => event.getType() === "m.room.message")
    .map((event) => event.getContent().body);
}

before(async () => {
  alice = await register(uniqueName("alice"));
  bob = await register(uniqueName("bob"));
  ({ room_id: roomId } = await ok("POST", "/_matrix/client/v3/createRoom", {
    token: alice.accessToken, body: { name: "History", preset: "private_chat", invite: [bob.userId] },
  }));
  const run = uniqueName("txn");
  for (let i = 1; i <= COUNT; i++) await send(alice, bodyOf(i), `${run}-${i}`);
  // Bob joins after the conversation; private_chat's "shared" history lets him read it all.
  await ok("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: bob.accessToken, body: {} });
});

test("a late joiner scrolls back to the room's creation and sees every message once, in order", LIMITS, async () => {
  const client = await started(bob, 5);
  await untilSynced(client, () => client.getRoom(roomId)?.getMyMembership() === "join", WAIT, "bob's room");
  const room = client.getRoom(roomId);
  assert.ok(messageBodies(room).length < COUNT, "the initial sync should be limited");

  const hasCreate = () => room.getLiveTimeline().getEvents().some((event) => event.getType() === "m.room.create");
  let pages = 0;
  while (!hasCreate() && room.oldState.paginationToken !== null) {
    assert.ok(++pages <= 10, `still no m.room.create after ${pages - 1} pages of 30`);
    await client.scrollback(room, 30);
  }
  assert.ok(hasCreate(), "scrollback stopped (no pagination token) before reaching m.room.create");
  assert.ok(pages >= 2, `${COUNT} messages can't come back in ${pages} page(s) of 30`);

  const expected = Array.from({ length: COUNT }, (_, i) => bodyOf(i + 1));
  assert.deepEqual(messageBodies(room), expected);
  const events = room.getLiveTimeline().getEvents();
  assert.equal(new Set(events.map((event) => event.getId())).size, events.length, "duplicate events in the timeline");
  assert.equal(events[0].getType(), "m.room.create", "m.room.create should be the oldest event");
  client.stopClient();
});

test("a client restarted with the same token finds the recent messages", LIMITS, async () => {
  const first = await started(bob, 10);
  await untilSynced(first, () => first.getRoom(roomId)?.getMyMembership() === "join", WAIT, "bob's room");
  first.stopClient();

  await send(alice, "while you were away", uniqueName("txn"));

  const again = await started(bob, 10);
  await untilSynced(again, () => again.getRoom(roomId)?.getMyMembership() === "join", WAIT, "bob's room after restart");
  const recent = messageBodies(again.getRoom(roomId));
  assert.deepEqual(recent.slice(-4), [bodyOf(COUNT - 2), bodyOf(COUNT - 1), bodyOf(COUNT), "while you were away"]);
  assert.ok(recent.length <= 10, `initialSyncLimit 10 gave ${recent.length} messages`);
  again.stopClient();
});
