#!/usr/bin/python3
"""End-to-end test: matrix-nio (Debian's python3-matrix-nio) against a running Myelin.

Run with MYELIN_URL set to the server's base URL, e.g.
    MYELIN_URL=http://127.0.0.1:18008 /usr/bin/python3 e2e/python/test_nio.py
Prints one line per test and a summary such as "3 passed, 0 failed"; exits 1 on any failure.
"""
import asyncio
import json
import os
import secrets
import sys
import time
import traceback
import urllib.error
import urllib.request

from nio import (AsyncClient, AsyncClientConfig, JoinResponse, JoinedMembersResponse, LoginResponse,
                 RegisterResponse, RoomCreateResponse, RoomInviteResponse, RoomMemberEvent,
                 RoomMessageText, RoomPreset, RoomSendResponse, SyncResponse)
from nio.responses import WhoamiResponse

PASSWORD = "correct horse battery staple"
SYNC_WAIT_SECONDS = 20


def base_url():
    url = os.environ.get("MYELIN_URL")
    if not url:
        sys.exit("Set MYELIN_URL to the homeserver's base URL, e.g. http://127.0.0.1:18008")
    return url.rstrip("/")


def unique(prefix):
    return f"{prefix}-{int(time.time()):x}-{secrets.token_hex(4)}"


def http(method, path, body=None):
    """One JSON request with urllib; returns (status, parsed body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url() + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def register_with_uia(username):
    """Registers through user-interactive auth: 401 with a session, then m.login.dummy."""
    request = {"username": username, "password": PASSWORD}
    status, challenge = http("POST", "/_matrix/client/v3/register", request)
    assert status == 401 and "session" in challenge, f"register without auth: {status} {challenge}"
    request["auth"] = {"type": "m.login.dummy", "session": challenge["session"]}
    status, done = http("POST", "/_matrix/client/v3/register", request)
    assert status == 200, f"register with m.login.dummy: {status} {done}"
    return done


def new_client(user=""):
    config = AsyncClientConfig(max_limit_exceeded=0, max_timeouts=2, request_timeout=30,
                               encryption_enabled=False)
    return AsyncClient(base_url(), user, config=config)


async def log_in(client):
    response = await client.login(PASSWORD, device_name="nio e2e")
    assert isinstance(response, LoginResponse), f"login of {client.user} failed: {response}"
    return client


async def sync_until(client, found, what):
    """Syncs (long-polling) until found(response) returns something truthy, and returns it."""
    deadline = time.monotonic() + SYNC_WAIT_SECONDS
    while True:
        response = await client.sync(timeout=2000)
        assert isinstance(response, SyncResponse), f"sync of {client.user_id} failed: {response}"
        result = found(response)
        if result:
            return result
        assert time.monotonic() < deadline, f"{client.user_id} waited {SYNC_WAIT_SECONDS}s for {what}"


def timeline(response, room_id):
    room = response.rooms.join.get(room_id)
    return room.timeline.events if room else []


def message(event_id):
    """A sync predicate that finds the text message with this event ID."""
    def find(response):
        return next((e for room in response.rooms.join.values() for e in room.timeline.events
                     if isinstance(e, RoomMessageText) and e.event_id == event_id), None)
    return find


class Scenario:
    def __init__(self):
        self.clients = []
        self.alice = None
        self.bob = None

    def track(self, client):
        self.clients.append(client)
        return client

    async def test_register_with_uia_and_login(self):
        username = unique("alice")
        registered = register_with_uia(username)
        self.alice = await log_in(self.track(new_client(username)))
        assert self.alice.user_id == registered["user_id"], f"{self.alice.user_id} != {registered['user_id']}"
        assert self.alice.device_id and self.alice.access_token != registered["access_token"]
        whoami = await self.alice.whoami()
        assert isinstance(whoami, WhoamiResponse) and whoami.user_id == self.alice.user_id, f"whoami: {whoami}"

    async def test_nio_register(self):
        """nio's own register() sends m.login.dummy without first fetching a session."""
        client = self.track(new_client())
        response = await client.register(unique("bob"), PASSWORD, device_name="nio e2e")
        assert isinstance(response, RegisterResponse), f"nio register failed: {response}"
        assert client.access_token and client.user_id == response.user_id
        self.bob = client

    async def test_room_chat(self):
        alice = self.alice
        if alice is None:
            raise AssertionError("needs alice from the first test")
        bob = self.bob
        if bob is None:  # nio's register failed; keep testing the rest with a UIA-registered bob
            username = unique("bob")
            register_with_uia(username)
            bob = await log_in(self.track(new_client(username)))
        await sync_until(alice, lambda r: True, "an initial sync")
        await sync_until(bob, lambda r: True, "an initial sync")

        name = unique("nio room")
        created = await alice.room_create(name=name, preset=RoomPreset.private_chat)
        assert isinstance(created, RoomCreateResponse), f"room_create: {created}"
        room_id = created.room_id
        invited = await alice.room_invite(room_id, bob.user_id)
        assert isinstance(invited, RoomInviteResponse), f"room_invite: {invited}"

        await sync_until(bob, lambda r: room_id in r.rooms.invite, "the invite")
        assert bob.invited_rooms[room_id].name == name, f"invite shows name {bob.invited_rooms[room_id].name!r}"
        joined = await bob.join(room_id)
        assert isinstance(joined, JoinResponse) and joined.room_id == room_id, f"join: {joined}"
        await sync_until(alice, lambda r: any(
            isinstance(e, RoomMemberEvent) and e.state_key == bob.user_id and e.membership == "join"
            for e in timeline(r, room_id)), "bob's join")

        for sender, receiver, body in [(alice, bob, "Hello from nio, Bob"), (bob, alice, "Hi Alice, nio here too")]:
            sent = await sender.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
            assert isinstance(sent, RoomSendResponse), f"room_send: {sent}"
            event = await sync_until(receiver, message(sent.event_id), f"message {body!r}")
            assert event.body == body and event.sender == sender.user_id, f"got {event.sender}: {event.body!r}"

        await sync_until(bob, lambda r: bob.rooms.get(room_id) and bob.rooms[room_id].name == name, "the room name")
        members = await alice.joined_members(room_id)
        assert isinstance(members, JoinedMembersResponse), f"joined_members: {members}"
        assert {m.user_id for m in members.members} == {alice.user_id, bob.user_id}, members.members

    async def close(self):
        for client in self.clients:
            await client.close()


async def main():
    print(f"matrix-nio end-to-end tests against {base_url()}", flush=True)
    scenario = Scenario()
    tests = [scenario.test_register_with_uia_and_login, scenario.test_nio_register, scenario.test_room_chat]
    passed = failed = 0
    try:
        for test in tests:
            try:
                await asyncio.wait_for(test(), timeout=120)
                passed += 1
                print(f"PASS {test.__name__}", flush=True)
            except Exception as error:  # report every failure, keep going
                failed += 1
                print(f"FAIL {test.__name__}: {type(error).__name__}: {error}", flush=True)
                traceback.print_exc()
    finally:
        await scenario.close()
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
