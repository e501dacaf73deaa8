// Directories with matrix-js-sdk: room aliases (create, resolve, join by alias, canonical alias,
// delete), the public room directory (publish, search) and the user directory, with three users
// who see the room's changes arrive live through their sync loops.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  LIMITS, clientFor, nextEvent, registerWithSdk, sdk, startClient, untilSynced, uniqueName,
} from "./lib/matrix.mjs";

const WAIT = 15000;
const clients = [];
after(() => clients.forEach((client) => client.stopClient()));

test("aliases, the public room directory and the user directory", LIMITS, async () => {
  const [alice, bob, carol] = (await Promise.all(
    ["alice", "bob", "carol"].map((name) => registerWithSdk(uniqueName(name))))).map(clientFor);
  clients.push(alice, bob, carol);
  await Promise.all([alice, bob, carol].map((client) => startClient(client, 10)));
  const server = alice.getUserId().split(":").slice(1).join(":");

  const word = uniqueName("dir").replace(/[^a-z0-9]/g, "");
  const { room_id: roomId } = await alice.createRoom({
    name: `Lounge ${word}`, topic: "Everyday chat", preset: sdk.Preset.PublicChat,
  });

  // Aliases: created by alice, resolved and joined by bob, who appears at alice through sync.
  const alias = `#lounge-${word}:${server}`;
  await alice.createAlias(alias, roomId);
  assert.equal((await bob.getRoomIdForAlias(alias)).room_id, roomId);
  const bobJoinedAtAlice = nextEvent(alice, sdk.RoomMemberEvent.Membership,
    (event, member) => member.roomId === roomId && member.userId === bob.getUserId() && member.membership === "join",
    WAIT, "alice to see bob join by alias");
  assert.equal((await bob.joinRoom(alias)).roomId, roomId);
  await bobJoinedAtAlice;
  assert.deepEqual((await bob.getLocalAliases(roomId)).aliases, [alias]);

  // The canonical alias reaches bob live; one that points elsewhere is refused.
  await alice.sendStateEvent(roomId, "m.room.canonical_alias", { alias }, "");
  await untilSynced(bob, () => bob.getRoom(roomId)?.getCanonicalAlias() === alias, WAIT,
    "bob to see the canonical alias");
  await assert.rejects(alice.sendStateEvent(roomId, "m.room.canonical_alias", { alias: `#nowhere-${word}:${server}` }, ""),
    (error) => error.httpStatus === 400 && error.errcode === "M_BAD_ALIAS");

  // The public room directory: private until published, then found by carol with its details.
  assert.equal((await alice.getRoomDirectoryVisibility(roomId)).visibility, "private");
  let found = await carol.publicRooms({ filter: { generic_search_term: word } });
  assert.deepEqual(found.chunk, []);
  await alice.setRoomDirectoryVisibility(roomId, "public");
  assert.equal((await carol.getRoomDirectoryVisibility(roomId)).visibility, "public");
  found = await carol.publicRooms({ filter: { generic_search_term: word.toUpperCase() }, limit: 5 });
  assert.equal(found.chunk.length, 1);
  assert.equal(found.chunk[0].room_id, roomId);
  assert.equal(found.chunk[0].name, `Lounge ${word}`);
  assert.equal(found.chunk[0].canonical_alias, alias);
  assert.equal(found.chunk[0].num_joined_members, 2);
  assert.equal(found.chunk[0].join_rule, "public");

  // Carol joins from the directory; the user directory finds bob by a prefix of his new name.
  const carolJoinedAtBob = nextEvent(bob, sdk.RoomMemberEvent.Membership,
    (event, member) => member.roomId === roomId && member.userId === carol.getUserId() && member.membership === "join",
    WAIT, "bob to see carol join from the directory");
  await carol.joinRoom(found.chunk[0].canonical_alias);
  await carolJoinedAtBob;
  const bobName = `Bobby ${word}`;
  await bob.setDisplayName(bobName);
  await untilSynced(carol, () => carol.getRoom(roomId)?.getMember(bob.getUserId())?.name === bobName, WAIT,
    "carol to see bob's new name");
  const users = await carol.searchUserDirectory({ term: word.slice(0, 6) });
  assert.deepEqual(users.results.map((user) => [user.user_id, user.display_name]), [[bob.getUserId(), bobName]]);
  assert.equal(users.limited, false);

  // Deleting the canonical alias clears it from the room state, live at bob.
  await alice.deleteAlias(alias);
  await assert.rejects(carol.getRoomIdForAlias(alias), (error) => error.httpStatus === 404 && error.errcode === "M_NOT_FOUND");
  await untilSynced(bob, () => !bob.getRoom(roomId)?.getCanonicalAlias(), WAIT, "bob to see the canonical alias gone");
});
