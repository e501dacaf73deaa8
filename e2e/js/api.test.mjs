// The Client-Server API spoken directly with fetch: login forms, tokens, idempotent sends,
// pagination, context, state, profile, and the errors the specification prescribes.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { LIMITS, PASSWORD, api, baseUrl, ok, register, uniqueName } from "./lib/matrix.mjs";

const V3 = "/_matrix/client/v3";
const room = (id) => `${V3}/rooms/${encodeURIComponent(id)}`;
const query = (params) => new URLSearchParams(params).toString();
const ONLY_MESSAGES = JSON.stringify({ types: ["m.room.message"] });

let alice;
let roomId;
/** Event IDs and bodies of five messages m0..m4 that alice sent in `roomId`, oldest first. */
const sent = [];

function assertError(res, status, errcode) {
  assert.equal(res.status, status, `expected ${status} ${errcode}, got ${res.status}: ${res.text}`);
  assert.equal(res.json?.errcode, errcode, `expected ${errcode}: ${res.text}`);
  assert.equal(typeof res.json.error, "string", `an error response needs an "error" string: ${res.text}`);
}

before(async () => {
  alice = await register(uniqueName("alice"));
});

let roomReady;
/** Creates the shared room with m0..m4 on first use, so tests that need no room don't depend on rooms working. */
function withRoom() {
  roomReady ??= (async () => {
    ({ room_id: roomId } = await ok("POST", `${V3}/createRoom`, {
      token: alice.accessToken, body: { name: "API", preset: "private_chat" },
    }));
    for (let i = 0; i < 5; i++) {
      const body = `m${i}`;
      const { event_id: id } = await ok("PUT", `${room(roomId)}/send/m.room.message/${uniqueName("txn")}`, {
        token: alice.accessToken, body: { msgtype: "m.text", body },
      });
      sent.push({ id, body });
    }
  })();
  return roomReady;
}

test("login with an m.id.user identifier and with the legacy user field", LIMITS, async () => {
  const byIdentifier = await ok("POST", `${V3}/login`, {
    body: { type: "m.login.password", identifier: { type: "m.id.user", user: alice.username }, password: PASSWORD },
  });
  assert.equal(byIdentifier.user_id, alice.userId);
  assert.ok(byIdentifier.access_token && byIdentifier.device_id);

  const legacy = await ok("POST", `${V3}/login`, {
    body: { type: "m.login.password", user: alice.userId, password: PASSWORD },
  });
  assert.equal(legacy.user_id, alice.userId);
  assert.notEqual(legacy.access_token, byIdentifier.access_token);

  const wrong = await api("POST", `${V3}/login`, {
    body: { type: "m.login.password", identifier: { type: "m.id.user", user: alice.username }, password: "nope" },
  });
  assertError(wrong, 403, "M_FORBIDDEN");

  const flows = await ok("GET", `${V3}/login`);
  assert.ok(flows.flows.some((flow) => flow.type === "m.login.password"));
});

test("whoami names the token's user and device; logout invalidates the token", LIMITS, async () => {
  const session = await ok("POST", `${V3}/login`, {
    body: { type: "m.login.password", identifier: { type: "m.id.user", user: alice.username }, password: PASSWORD },
  });
  const me = await ok("GET", `${V3}/account/whoami`, { token: session.access_token });
  assert.equal(me.user_id, alice.userId);
  assert.equal(me.device_id, session.device_id);

  assert.deepEqual(await ok("POST", `${V3}/logout`, { token: session.access_token, body: {} }), {});
  assertError(await api("GET", `${V3}/account/whoami`, { token: session.access_token }), 401, "M_UNKNOWN_TOKEN");
  // Other sessions of the same user are untouched.
  assert.equal((await ok("GET", `${V3}/account/whoami`, { token: alice.accessToken })).user_id, alice.userId);
});

test("sending twice with the same transaction ID yields one event", LIMITS, async () => {
  await withRoom();
  const txnId = uniqueName("txn");
  const path = `${room(roomId)}/send/m.room.message/${txnId}`;
  const content = { msgtype: "m.text", body: "only once" };
  const first = await ok("PUT", path, { token: alice.accessToken, body: content });
  const second = await ok("PUT", path, { token: alice.accessToken, body: content });
  assert.equal(second.event_id, first.event_id);
  const other = await ok("PUT", `${room(roomId)}/send/m.room.message/${txnId}-b`, { token: alice.accessToken, body: content });
  assert.notEqual(other.event_id, first.event_id);

  const page = await ok("GET", `${room(roomId)}/messages?${query({ dir: "b", limit: "5", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  assert.equal(page.chunk.filter((event) => event.event_id === first.event_id).length, 1);
});

test("/messages pages backward and forward between tokens, honouring the filter", LIMITS, async () => {
  await withRoom();
  // A sync whose timeline holds the last two of m0..m4 gives a prev_batch to page back from.
  const syncFilter = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 2, types: ["m.room.message"] } } });
  const roomSent = await messagesIn(roomId);
  const sync = await ok("GET", `${V3}/sync?${query({ filter: syncFilter })}`, { token: alice.accessToken });
  const timeline = sync.rooms.join[roomId].timeline;
  assert.deepEqual(timeline.events.map((e) => e.event_id), roomSent.slice(-2));
  assert.equal(timeline.limited, true);

  const back = await ok("GET",
    `${room(roomId)}/messages?${query({ from: timeline.prev_batch, dir: "b", limit: "2", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  assert.deepEqual(back.chunk.map((e) => e.event_id), roomSent.slice(-4, -2).reverse());
  assert.equal(back.start, timeline.prev_batch);
  assert.ok(back.end, "more history remains, so `end` must be present");

  // Forward from where the backward page ended returns the same events, oldest first...
  const forward = await ok("GET",
    `${room(roomId)}/messages?${query({ from: back.end, dir: "f", limit: "2", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  assert.deepEqual(forward.chunk.map((e) => e.event_id), roomSent.slice(-4, -2));

  // ...and `to` stops there even when the limit would allow more.
  const bounded = await ok("GET",
    `${room(roomId)}/messages?${query({ from: back.end, to: back.start, dir: "f", limit: "50", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  assert.deepEqual(bounded.chunk.map((e) => e.event_id), roomSent.slice(-4, -2));

  for (const event of [...back.chunk, ...forward.chunk]) {
    assert.equal(event.type, "m.room.message");
    assert.equal(event.room_id, roomId);
    assert.equal(event.sender, alice.userId);
  }
});

test("/messages without a filter reaches m.room.create and then omits `end`", LIMITS, async () => {
  await withRoom();
  let from;
  const seen = [];
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 20, "pagination did not end");
    const page = await ok("GET", `${room(roomId)}/messages?${query({ dir: "b", limit: "10", ...(from && { from }) })}`,
      { token: alice.accessToken });
    seen.push(...page.chunk);
    if (!page.end) break;
    assert.notEqual(page.end, from, "`end` must move");
    from = page.end;
  }
  assert.equal(seen.at(-1).type, "m.room.create");
  const ids = seen.map((event) => event.event_id);
  assert.equal(new Set(ids).size, ids.length, "an event came twice");
  for (const { id } of sent) assert.ok(ids.includes(id), `${id} missing from history`);
});

test("/context returns the event with its neighbours", LIMITS, async () => {
  await withRoom();
  const [m0, m1, m2, m3] = sent;
  const context = await ok("GET",
    `${room(roomId)}/context/${encodeURIComponent(m2.id)}?${query({ limit: "4", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  assert.equal(context.event.event_id, m2.id);
  assert.equal(context.event.content.body, "m2");
  assert.equal(context.events_before[0]?.event_id, m1.id, "events_before is newest first");
  assert.equal(context.events_after[0]?.event_id, m3.id, "events_after is oldest first");
  assert.ok(context.events_before.length + context.events_after.length <= 4);
  if (context.events_before.length > 1) assert.equal(context.events_before[1].event_id, m0.id);
  assert.ok(context.start && context.end, "context needs start and end tokens");

  const missing = await api("GET", `${room(roomId)}/context/${encodeURIComponent("$nope:localhost")}`,
    { token: alice.accessToken });
  assertError(missing, 404, "M_NOT_FOUND");
});

test("room state can be put and read back", LIMITS, async () => {
  await withRoom();
  await ok("PUT", `${room(roomId)}/state/m.room.topic/`, { token: alice.accessToken, body: { topic: "Testing" } });
  assert.deepEqual(await ok("GET", `${room(roomId)}/state/m.room.topic/`, { token: alice.accessToken }), { topic: "Testing" });

  const custom = await ok("PUT", `${room(roomId)}/state/org.myelin.test/key-1`, { token: alice.accessToken, body: { n: 1 } });
  assert.match(custom.event_id, /^\$/);
  assert.deepEqual(await ok("GET", `${room(roomId)}/state/org.myelin.test/key-1`, { token: alice.accessToken }), { n: 1 });
  assertError(await api("GET", `${room(roomId)}/state/org.myelin.test/absent`, { token: alice.accessToken }), 404, "M_NOT_FOUND");

  const all = await ok("GET", `${room(roomId)}/state`, { token: alice.accessToken });
  const types = all.map((event) => `${event.type}|${event.state_key}`);
  for (const key of ["m.room.create|", "m.room.name|", "m.room.topic|", `m.room.member|${alice.userId}`, "org.myelin.test|key-1"]) {
    assert.ok(types.includes(key), `${key} missing from the room state`);
  }
});

test("profile displayname can be set and read", LIMITS, async () => {
  const profile = `${V3}/profile/${encodeURIComponent(alice.userId)}`;
  await ok("PUT", `${profile}/displayname`, { token: alice.accessToken, body: { displayname: "Alice Liddell" } });
  assert.deepEqual(await ok("GET", `${profile}/displayname`), { displayname: "Alice Liddell" });
  assert.equal((await ok("GET", profile)).displayname, "Alice Liddell");
});

test("errors carry the specified status and errcode", LIMITS, async () => {
  assertError(await api("GET", `${V3}/no/such/endpoint`, { token: alice.accessToken }), 404, "M_UNRECOGNIZED");
  assertError(await api("PUT", `${V3}/account/whoami`, { token: alice.accessToken, body: {} }), 405, "M_UNRECOGNIZED");
  assertError(await api("GET", `${V3}/account/whoami`), 401, "M_MISSING_TOKEN");
  assertError(await api("GET", `${V3}/account/whoami`, { token: "not-a-real-token" }), 401, "M_UNKNOWN_TOKEN");
  assertError(await api("POST", `${V3}/login`, { rawBody: "{not json" }), 400, "M_NOT_JSON");
});

test("an event over 65536 bytes is refused with M_TOO_LARGE", LIMITS, async () => {
  await withRoom();
  const huge = { msgtype: "m.text", body: "x".repeat(70000) };
  assertError(await api("PUT", `${room(roomId)}/send/m.room.message/${uniqueName("txn")}`,
    { token: alice.accessToken, body: huge }), 413, "M_TOO_LARGE");
});

test("CORS: preflight and ordinary responses allow any origin", LIMITS, async () => {
  const preflight = await fetch(`${baseUrl()}${V3}/login`, {
    method: "OPTIONS",
    headers: {
      Origin: "https://app.example.org",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });
  assert.ok(preflight.status === 200 || preflight.status === 204, `preflight answered ${preflight.status}`);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  const methods = preflight.headers.get("access-control-allow-methods") ?? "";
  assert.match(methods, /POST/i);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/i);

  const versions = await api("GET", "/_matrix/client/versions", { headers: { Origin: "https://app.example.org" } });
  assert.equal(versions.status, 200);
  assert.equal(versions.headers.get("access-control-allow-origin"), "*");
  assert.ok(Array.isArray(versions.json.versions));
});

/** IDs of all m.room.message events in a room, oldest first, read by paging back from the end. */
async function messagesIn(id) {
  const page = await ok("GET", `${room(id)}/messages?${query({ dir: "b", limit: "100", filter: ONLY_MESSAGES })}`,
    { token: alice.accessToken });
  return page.chunk.map((event) => event.event_id).reverse();
}
