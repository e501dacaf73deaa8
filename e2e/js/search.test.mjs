// Search and history visibility through matrix-js-sdk: messages sent live are found with
// searchRoomEvents (with context), redacted ones are not, paging continues with next_batch, and
// a late joiner of a "joined"-visibility room cannot scroll back to what was said before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { LIMITS, MessageLog, clientFor, ok, register, startClient, untilSynced, uniqueName } from "./lib/matrix.mjs";

const WAIT = 20000;
const clients = [];
let alice;
let bob;
let carol;
after(() => clients.forEach((client) => client.stopClient()));

async function started(account) {
  const client = clientFor(account);
  clients.push(client);
  return startClient(client, 10, WAIT);
}

before(async () => {
  alice = await register(uniqueName("alice"));
  bob = await register(uniqueName("bob"));
  carol = await register(uniqueName("carol"));
});

test("messages sent live are found by searchRoomEvents, with context, and redacted ones are not", LIMITS, async () => {
  const aliceClient = await started(alice);
  const bobClient = await started(bob);
  const { room_id: roomId } = await aliceClient.createRoom({ preset: "private_chat", invite: [bob.userId] });
  await untilSynced(bobClient, () => bobClient.getRoom(roomId)?.getMyMembership() === "invite", WAIT, "bob's invite");
  await bobClient.joinRoom(roomId);
  const log = new MessageLog(bobClient, roomId);
  const word = `pineapple${Date.now().toString(36)}`;
  await aliceClient.sendTextMessage(roomId, "before the fruit");
  const { event_id: found } = await aliceClient.sendTextMessage(roomId, `I found a ${word} today`);
  const { event_id: secret } = await aliceClient.sendTextMessage(roomId, `the ${word} password is hunter2`);
  await aliceClient.sendTextMessage(roomId, "after the fruit");
  await log.waitFor(4, WAIT);
  log.close();

  await aliceClient.redactEvent(roomId, secret);
  // The SDK merges search context with events its timeline already holds: until bob's sync has
  // seen the redaction, its copy of the secret would still carry the body.
  await untilSynced(bobClient, () => bobClient.getRoom(roomId)?.findEventById(secret)?.isRedacted(), WAIT,
    "bob's client to see the redaction");
  const results = await bobClient.searchRoomEvents({ term: word });
  assert.equal(results.count, 1);
  assert.deepEqual(results.results.map((r) => r.context.getEvent().getId()), [found]);
  assert.ok(results.highlights.includes(word));
  // The SDK asks for one event of context each side: the one after is the redacted message.
  const timeline = results.results[0].context.getTimeline();
  assert.deepEqual(timeline.map((event) => event.getContent().body),
    ["before the fruit", `I found a ${word} today`, undefined]);
  assert.equal(timeline[2].getId(), secret);
});

test("next_batch pages through every result", LIMITS, async () => {
  const aliceClient = await started(alice);
  const { room_id: roomId } = await aliceClient.createRoom({ preset: "private_chat" });
  const word = `mango${Date.now().toString(36)}`;
  for (let i = 0; i < 15; i++) await aliceClient.sendTextMessage(roomId, `${word} number ${i}`);
  let results = await aliceClient.searchRoomEvents({ term: word });
  assert.equal(results.results.length, 10);
  assert.ok(results.next_batch, "a second page is announced");
  results = await aliceClient.backPaginateRoomEventsSearch(results);
  const bodies = results.results.map((r) => r.context.getEvent().getContent().body);
  assert.equal(new Set(bodies).size, 15);
  assert.equal(bodies[0], `${word} number 14`, "newest first");
  assert.equal(results.next_batch, undefined);
});

test("a late joiner of a joined-visibility room cannot scroll back to earlier messages", LIMITS, async () => {
  const aliceClient = await started(alice);
  const { room_id: roomId } = await ok("POST", "/_matrix/client/v3/createRoom", {
    token: alice.accessToken,
    body: {
      preset: "public_chat",
      initial_state: [{ type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
    },
  });
  await untilSynced(aliceClient, () => aliceClient.getRoom(roomId)?.getMyMembership() === "join", WAIT, "alice's room");
  for (let i = 0; i < 5; i++) await aliceClient.sendTextMessage(roomId, `before carol ${i}`);

  const carolClient = await started(carol);
  await carolClient.joinRoom(roomId);
  await aliceClient.sendTextMessage(roomId, "welcome carol");
  await untilSynced(carolClient, () => carolClient.getRoom(roomId)?.getLiveTimeline().getEvents()
    .some((event) => event.getContent().body === "welcome carol"), WAIT, "the welcome at carol");
  const room = carolClient.getRoom(roomId);
  let pages = 0;
  while (room.oldState.paginationToken !== null && pages < 20) {
    pages++;
    await carolClient.scrollback(room, 30);
  }
  const bodies = room.getLiveTimeline().getEvents()
    .filter((event) => event.getType() === "m.room.message").map((event) => event.getContent().body);
  assert.deepEqual(bodies, ["welcome carol"]);
  const search = await carolClient.searchRoomEvents({ term: "carol" });
  assert.deepEqual(search.results.map((r) => r.context.getEvent().getContent().body), ["welcome carol"]);
});
