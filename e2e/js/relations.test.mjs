// Relations through matrix-js-sdk: edits, reactions, thread replies and redactions sent by one
// client arrive live at the other, and a client that joins later gets them from the server's
// bundled aggregations and /relations.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, api, clientFor, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

async function startUser(name) {
  const client = clientFor(await registerWithSdk(uniqueName(name)));
  clients.push(client);
  await startClient(client, 20, 20000, { threadSupport: true });
  return client;
}

const text = (body) => ({ msgtype: "m.text", body });

test("edits, reactions, threads and redactions travel between matrix-js-sdk clients", LIMITS, async () => {
  const alice = await startUser("alice");
  const bob = await startUser("bob");
  const { room_id: roomId } = await alice.createRoom({ preset: sdk.Preset.PublicChat, name: "Relations" });
  await bob.joinRoom(roomId);
  await untilSynced(alice, () => alice.getRoom(roomId)?.getMember(bob.getUserId())?.membership === "join", WAIT,
    "alice to see bob join");

  const { event_id: original } = await alice.sendMessage(roomId, text("original"));
  await untilSynced(bob, () => bob.getRoom(roomId)?.findEventById(original), WAIT, "bob to receive the original");

  // An edit: bob's client shows the replaced content.
  const { event_id: editId } = await alice.sendMessage(roomId, {
    ...text("* edited"),
    "m.new_content": text("edited"),
    "m.relates_to": { rel_type: sdk.RelationType.Replace, event_id: original },
  });
  await untilSynced(bob, () => bob.getRoom(roomId).findEventById(original)?.replacingEventId() === editId, WAIT,
    "bob to see the edit");
  assert.equal(bob.getRoom(roomId).findEventById(original).getContent().body, "edited");

  // A reaction: alice's client aggregates it by key; a second identical one is refused.
  const thumbsUp = { "m.relates_to": { rel_type: sdk.RelationType.Annotation, event_id: original, key: "👍" } };
  await bob.sendEvent(roomId, sdk.EventType.Reaction, thumbsUp);
  const reactions = () => alice.getRoom(roomId).relations
    .getChildEventsForEvent(original, sdk.RelationType.Annotation, sdk.EventType.Reaction)?.getSortedAnnotationsByKey();
  await untilSynced(alice, () => reactions()?.[0]?.[0] === "👍", WAIT, "alice to see bob's reaction");
  assert.deepEqual([...reactions()[0][1]].map((e) => e.getSender()), [bob.getUserId()]);
  await assert.rejects(bob.sendEvent(roomId, sdk.EventType.Reaction, thumbsUp),
    (error) => error.errcode === "M_DUPLICATE_ANNOTATION" && error.httpStatus === 400);

  // A thread reply: alice's client has the thread with bob's reply in it.
  const { event_id: replyId } = await bob.sendMessage(roomId, original, {
    ...text("in the thread"),
    "m.relates_to": { rel_type: sdk.THREAD_RELATION_TYPE.name, event_id: original, is_falling_back: true,
      "m.in_reply_to": { event_id: original } },
  });
  await untilSynced(alice, () => alice.getRoom(roomId).getThread(original)?.lastReply()?.getId() === replyId, WAIT,
    "alice to see the thread reply");
  assert.equal(alice.getRoom(roomId).getThread(original).length, 1);

  // Redactions: bob may redact his own message but not alice's; alice sees his redacted.
  const { event_id: oops } = await bob.sendMessage(roomId, text("oops"));
  await untilSynced(alice, () => alice.getRoom(roomId).findEventById(oops), WAIT, "alice to receive bob's message");
  // (Refused over plain HTTP: the SDK's local echo of a refused redaction is not what is tested here.)
  const refused = await api("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/redact/`
    + `${encodeURIComponent(original)}/refused-1`, { token: bob.getAccessToken(), body: {} });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.errcode, "M_FORBIDDEN");
  await bob.redactEvent(roomId, oops);
  await untilSynced(alice, () => alice.getRoom(roomId).findEventById(oops)?.isRedacted(), WAIT,
    "alice to see bob's message redacted");
  assert.deepEqual(alice.getRoom(roomId).findEventById(oops).getContent(), {});

  // A client that joins later learns the edit and the thread from the server's bundles.
  const carol = await startUser("carol");
  await carol.joinRoom(roomId);
  await untilSynced(carol, () => carol.getRoom(roomId)?.findEventById(original), WAIT, "carol to load the room");
  const atCarol = carol.getRoom(roomId).findEventById(original);
  assert.equal(atCarol.getServerAggregatedRelation(sdk.RelationType.Replace)?.event_id, editId);
  await untilSynced(carol, () => carol.getRoom(roomId).findEventById(original)?.getContent().body === "edited", WAIT,
    "carol to show the edited content");
  const thread = carol.getRoom(roomId).getThread(original);
  assert.ok(thread, "carol has the thread");
  assert.equal(atCarol.getServerAggregatedRelation(sdk.THREAD_RELATION_TYPE.name)?.count, 1);
  await untilSynced(carol, () => thread.lastReply()?.getId() === replyId, WAIT, "carol's thread to end with bob's reply");
});
