// Pushers through matrix-js-sdk: setPusher / getPushers / removePusher, pushkeys moving between
// users, the spec's errors, removal on logout, and a message reaching a push gateway.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import {
  LIMITS, PASSWORD, clientFor, nextEvent, ok, registerWithSdk, sdk, startClient, uniqueName, withTimeout,
} from "./lib/matrix.mjs";

const V3 = "/_matrix/client/v3";
const WAIT = 15000;
const GATEWAY = "https://push.example.org/_matrix/push/v1/notify";
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

function pusher(appId, pushkey, overrides = {}) {
  return {
    kind: "http", app_id: appId, pushkey, app_display_name: "Myelin e2e", device_display_name: "Test phone",
    lang: "en", data: { url: GATEWAY, format: "event_id_only" }, ...overrides,
  };
}

async function newClient(name) {
  const client = clientFor(await registerWithSdk(uniqueName(name)));
  clients.push(client);
  return client;
}

const keys = async (client) => (await client.getPushers()).pushers.map((p) => `${p.app_id} ${p.pushkey}`);

async function assertRefused(promise, errcode) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.httpStatus, 400, `expected 400 ${errcode}, got ${error.httpStatus} ${error.errcode}`);
    assert.equal(error.errcode, errcode);
    return true;
  });
}

test("a pusher is set, listed, updated and removed", LIMITS, async () => {
  const alice = await newClient("alice");
  await alice.setPusher(pusher("org.myelin.e2e", "alice-key", { profile_tag: "tag" }));
  const [listed] = (await alice.getPushers()).pushers;
  // The SDK marks pushers of servers without MSC3881 (remote push toggling) as enabled.
  const { "org.matrix.msc3881.enabled": enabled, ...fields } = listed;
  assert.equal(enabled, true);
  assert.deepEqual(fields, pusher("org.myelin.e2e", "alice-key", { profile_tag: "tag" }));

  await alice.setPusher(pusher("org.myelin.e2e", "alice-key", { lang: "de" }));
  await alice.setPusher(pusher("org.myelin.e2e", "second-key"));
  const pushers = (await alice.getPushers()).pushers;
  assert.deepEqual(pushers.map((p) => [p.pushkey, p.lang]), [["alice-key", "de"], ["second-key", "en"]]);

  await alice.removePusher("alice-key", "org.myelin.e2e");
  assert.deepEqual(await keys(alice), ["org.myelin.e2e second-key"]);
});

test("without append a pushkey moves from other users to the new one", LIMITS, async () => {
  const [alice, bob, carol] = await Promise.all([newClient("alice"), newClient("bob"), newClient("carol")]);
  const key = uniqueName("shared");
  await alice.setPusher(pusher("org.myelin.e2e", key));
  await bob.setPusher(pusher("org.myelin.e2e", key, { append: true }));
  assert.deepEqual(await keys(alice), [`org.myelin.e2e ${key}`]);
  assert.deepEqual(await keys(bob), [`org.myelin.e2e ${key}`]);

  await carol.setPusher(pusher("org.myelin.e2e", key));
  assert.deepEqual(await keys(alice), []);
  assert.deepEqual(await keys(bob), []);
  assert.deepEqual(await keys(carol), [`org.myelin.e2e ${key}`]);
});

test("invalid pushers are refused with the spec's errors", LIMITS, async () => {
  const alice = await newClient("alice");
  const { data, ...withoutData } = pusher("org.myelin.e2e", "k");
  await assertRefused(alice.setPusher(withoutData), "M_MISSING_PARAM");
  await assertRefused(alice.setPusher(pusher("org.myelin.e2e", "k", { data: { format: "event_id_only" } })),
    "M_MISSING_PARAM");
  await assertRefused(alice.setPusher(pusher("org.myelin.e2e", "k", {
    data: { url: "https://push.example.org/notify" },
  })), "M_INVALID_PARAM");
  await assertRefused(alice.setPusher(pusher("org.myelin.e2e", "k", { kind: "carrier-pigeon" })), "M_INVALID_PARAM");
  assert.deepEqual(await keys(alice), []);
});

test("logging a device out removes the pushers it set", LIMITS, async () => {
  const phone = await newClient("alice");
  const login = await ok("POST", `${V3}/login`, {
    body: { type: "m.login.password", identifier: { type: "m.id.user", user: phone.getUserId() }, password: PASSWORD },
  });
  const laptop = clientFor({ userId: login.user_id, accessToken: login.access_token, deviceId: login.device_id });
  clients.push(laptop);
  await phone.setPusher(pusher("org.myelin.phone", "phone-key"));
  await laptop.setPusher(pusher("org.myelin.laptop", "laptop-key"));
  assert.deepEqual(await keys(laptop), ["org.myelin.laptop laptop-key", "org.myelin.phone phone-key"]);

  await phone.logout(true);
  assert.deepEqual(await keys(laptop), ["org.myelin.laptop laptop-key"]);
});

/** A push gateway on a loopback port that resolves `next()` with each notification it receives. */
async function startGateway() {
  const received = [];
  const waiters = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      received.push(JSON.parse(body).notification);
      waiters.splice(0).forEach((wake) => wake());
      res.writeHead(200, { "Content-Type": "application/json" }).end('{"rejected":[]}');
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/_matrix/push/v1/notify`,
    until(predicate, ms, what) {
      const found = new Promise((resolve) => {
        const check = () => {
          const hit = received.find(predicate);
          if (hit) resolve(hit);
          else waiters.push(check);
        };
        check();
      });
      return withTimeout(found, ms, what);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// The push rules decide that bob's message notifies alice; her pusher delivers it to the gateway.
test("a message to alice reaches her push gateway", LIMITS, async () => {
  const gateway = await startGateway();
  try {
    const [alice, bob] = await Promise.all([newClient("alice"), newClient("bob")]);
    await Promise.all([startClient(alice), startClient(bob)]);
    await alice.setPusher(pusher("org.myelin.e2e", "alice-phone", { data: { url: gateway.url } }));

    const { room_id: roomId } = await alice.createRoom({ preset: sdk.Preset.PrivateChat });
    const invited = nextEvent(bob, sdk.RoomMemberEvent.Membership,
      (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "invite",
      WAIT, "bob's invite to arrive by sync");
    await alice.invite(roomId, bob.getUserId());
    await invited;
    await bob.joinRoom(roomId);

    const { event_id: eventId } = await bob.sendTextMessage(roomId, "Wake up, Alice");
    const notification = await gateway.until((n) => n.event_id === eventId, 10000, "the push for bob's message");
    assert.equal(notification.room_id, roomId);
    assert.equal(notification.type, "m.room.message");
    assert.equal(notification.sender, bob.getUserId());
    assert.equal(notification.content.body, "Wake up, Alice");
    assert.equal(notification.counts.unread, 1);
    assert.equal(notification.devices[0].pushkey, "alice-phone");
    assert.equal(notification.devices[0].data.url, undefined);
    // A one-to-one room: the default rule notifies with the default sound.
    assert.equal(notification.devices[0].tweaks.sound, "default");
  } finally {
    await gateway.close();
  }
});
