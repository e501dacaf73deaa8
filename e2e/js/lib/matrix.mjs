// Shared helpers for the end-to-end tests: the server address, raw HTTP calls,
// registration through m.login.dummy, and matrix-js-sdk clients that are started and awaited.
import "fake-indexeddb/auto";
import { randomBytes } from "node:crypto";
import * as sdk from "matrix-js-sdk";
import { logger as sdkLogger } from "matrix-js-sdk/lib/logger.js";

/** Base URL of the server under test, e.g. http://127.0.0.1:18008 (no trailing slash). */
export function baseUrl() {
  const url = process.env.MYELIN_URL;
  if (!url) throw new Error("Set MYELIN_URL to the homeserver's base URL, e.g. http://127.0.0.1:18008");
  return url.replace(/\/+$/, "");
}

/** A user name no earlier run has used. */
export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

// The SDK logs every sync at debug level, and whole error objects at warn; keep test output to
// one line per warning.
const brief = (args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" ");
const quietLogger = {
  trace() {}, debug() {}, info() {}, log() {},
  warn: (...args) => console.warn("[sdk warn]", brief(args)),
  error: (...args) => console.error("[sdk error]", brief(args)),
  getChild() { return quietLogger; },
};
// Parts of the SDK log through its global logger rather than the client's: make that one brief too.
// MYELIN_E2E_SDK_LOG=debug restores the SDK's full logging.
if (process.env.MYELIN_E2E_SDK_LOG) {
  sdkLogger.setLevel(process.env.MYELIN_E2E_SDK_LOG);
} else {
  Object.assign(sdkLogger, { trace() {}, debug() {}, info() {}, log() {}, warn: quietLogger.warn, error: quietLogger.error });
}

/** Options for every test: a failing server must not hang the run. */
export const LIMITS = { timeout: 120_000 };

export const PASSWORD = "correct horse battery staple";

/**
 * One HTTP request to the server. `body` is sent as JSON unless `rawBody` is given.
 * Resolves to { status, headers, json } (json is null when the body isn't JSON).
 */
export async function api(method, path, { token, body, rawBody, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (rawBody !== undefined) {
    init.body = rawBody;
    init.headers["Content-Type"] ??= "application/json";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(baseUrl() + path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Like api(), but throws unless the status is 200; resolves to the JSON body. */
export async function ok(method, path, options) {
  const res = await api(method, path, options);
  if (res.status !== 200) {
    throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
  }
  return res.json;
}

/**
 * Registers a user through user-interactive auth: the first POST returns 401 with the flows
 * and a session, the second completes the m.login.dummy stage.
 * Resolves to { userId, accessToken, deviceId, username }.
 */
export async function register(username = uniqueName("user"), password = PASSWORD) {
  const request = { username, password, initial_device_display_name: "e2e" };
  const first = await api("POST", "/_matrix/client/v3/register", { body: request });
  if (first.status !== 401 || !first.json?.session) {
    throw new Error(`register without auth should answer 401 with a session, got ${first.status}: ${first.text}`);
  }
  const hasDummy = first.json.flows?.some((flow) => flow.stages?.includes("m.login.dummy"));
  if (!hasDummy) throw new Error(`no m.login.dummy flow offered: ${first.text}`);
  const done = await ok("POST", "/_matrix/client/v3/register", {
    body: { ...request, auth: { type: "m.login.dummy", session: first.json.session } },
  });
  return { userId: done.user_id, accessToken: done.access_token, deviceId: done.device_id, username };
}

/**
 * Registers like register(), but through matrix-js-sdk's registerRequest: the first call
 * fails with a 401 MatrixError that carries the UIA session.
 */
export async function registerWithSdk(username = uniqueName("user"), password = PASSWORD, url = baseUrl()) {
  const anonymous = sdk.createClient({ baseUrl: url, logger: quietLogger });
  let session;
  try {
    await anonymous.registerRequest({ username, password });
    throw new Error("register without auth unexpectedly succeeded");
  } catch (error) {
    if (error.httpStatus !== 401 || !error.data?.session) throw error;
    session = error.data.session;
  }
  const done = await anonymous.registerRequest({ username, password, auth: { type: "m.login.dummy", session } });
  return { userId: done.user_id, accessToken: done.access_token, deviceId: done.device_id, username, baseUrl: url };
}

/** Rejects with a clear message when `promise` doesn't settle within `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the listener's arguments the first time `event` fires on `emitter` with
 * arguments that satisfy `predicate`. Register it before causing the event.
 */
export function nextEvent(emitter, event, predicate, ms, what) {
  let listener;
  const seen = new Promise((resolve) => {
    listener = (...args) => {
      if (predicate(...args)) resolve(args);
    };
    emitter.on(event, listener);
  });
  return withTimeout(seen, ms, what).finally(() => emitter.off(event, listener));
}

/** Resolves once `condition()` holds, checking now and after each completed sync of `client`. */
export function untilSynced(client, condition, ms, what) {
  if (condition()) return Promise.resolve();
  return nextEvent(client, sdk.ClientEvent.Sync, () => condition(), ms, what).then(() => undefined);
}

/** A matrix-js-sdk client for an account from register(), not yet started, on the account's server. */
export function clientFor(account) {
  return sdk.createClient({
    baseUrl: account.baseUrl ?? baseUrl(),
    accessToken: account.accessToken,
    userId: account.userId,
    deviceId: account.deviceId,
    logger: process.env.MYELIN_E2E_SDK_LOG ? undefined : quietLogger,
  });
}

/**
 * Starts a client and waits until its first sync is PREPARED (failing fast on a sync ERROR).
 * `options` are further startClient options, such as { threadSupport: true }.
 */
export async function startClient(client, initialSyncLimit = 20, ms = 20000, options = {}) {
  const settled = nextEvent(client, sdk.ClientEvent.Sync, (s) => s === "PREPARED" || s === "ERROR", ms,
    `first sync of ${client.getUserId()}`);
  settled.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  await client.startClient({ ...options, initialSyncLimit });
  const [state] = await settled;
  if (state !== "PREPARED") throw new Error(`first sync of ${client.getUserId()} ended in ${state}`);
  return client;
}

/**
 * Records the m.room.message events that arrive live in one room, and lets a test await
 * the first `count` of them.
 */
export class MessageLog {
  constructor(client, roomId) {
    this.messages = [];
    this.waiters = [];
    this.client = client;
    this.listener = (event, room, toStartOfTimeline, removed, data) => {
      if (toStartOfTimeline || removed || !data?.liveEvent || room?.roomId !== roomId) return;
      if (event.getType() !== "m.room.message" || event.status !== null) return; // skip local echoes
      this.messages.push({ id: event.getId(), sender: event.getSender(), body: event.getContent().body });
      this.waiters = this.waiters.filter((waiter) => !waiter());
    };
    client.on(sdk.RoomEvent.Timeline, this.listener);
  }

  /** Resolves with the first `count` messages once that many have arrived. */
  waitFor(count, ms = 15000) {
    const reached = new Promise((resolve) => {
      const check = () => {
        if (this.messages.length < count) return false;
        resolve(this.messages.slice(0, count));
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
    return withTimeout(reached, ms, `${count} messages at ${this.client.getUserId()} (have ${this.messages.length})`);
  }

  close() {
    this.client.off(sdk.RoomEvent.Timeline, this.listener);
  }
}

export { sdk };
