#!/usr/bin/env bash
# Runs the real-client tests against the packaged server jar, outside Maven:
#   mvn -B -q -DskipTests package && e2e/run-against-jar.sh [js|nio|all]
# Starts homeserver/target/myelin-homeserver.jar on 127.0.0.1 (port MYELIN_E2E_PORT, or a free one)
# with a fresh SQLite data directory, runs the tests with MYELIN_URL set, and stops the server again.
# The data directory and server log are kept when a test fails.
# To test a server that is already running, skip this script: MYELIN_URL=... npm test (in e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/jdk.sh

which="${1:-all}"
port="${MYELIN_E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
data="$(mktemp -d /tmp/myelin-e2e.XXXXXX)"
export MYELIN_URL="http://127.0.0.1:$port"

MYELIN_LISTEN="127.0.0.1:$port" MYELIN_DATA_DIR="$data" MYELIN_SERVER_NAME=localhost MYELIN_FEDERATION_ENABLED=false \
  java -jar homeserver/target/myelin-homeserver.jar >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  curl -fsS "$MYELIN_URL/_matrix/client/versions" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.5
done
echo "Server up at $MYELIN_URL (log: $data/server.log)"

status=0
if [ "$which" = all ] || [ "$which" = js ]; then
  (cd e2e && node --test --test-force-exit --test-reporter=spec js/) || status=1
fi
if [ "$which" = all ] || [ "$which" = nio ]; then
  /usr/bin/python3 e2e/python/test_nio.py || status=1
fi
if [ "$status" = 0 ]; then rm -rf "$data"; else echo "Server log: $data/server.log"; fi
exit "$status"
