#!/usr/bin/env bash
# Store-level check of the PostgreSQL search query at scale, for when filling a server with a
# million messages through the API takes longer than the time at hand.
#   scripts/search-scale-check.sh SOURCE_DB TARGET_DB TOTAL_MESSAGES [RUNS]
# (REUSE=1 times the queries on an existing TARGET_DB without copying and filling it again.)
# SOURCE_DB is a database filled by `myelin bench --scenario search` (real events sent through the
# API). TARGET_DB becomes a copy of it, topped up to TOTAL_MESSAGES m.room.message rows by copying
# the PDU JSON of a real message with a new body and stream position; the bodies follow the same
# rule as the bench (filler words, marker word with period P in every P-th message). These rows
# are not valid events (their event IDs are not their hashes), so no server may serve TARGET_DB:
# the script only times the SQL that JdbcSearchStore sends, for each marker word and order.
set -euo pipefail
source_db="$1"; target_db="$2"; total="$3"; runs="${4:-15}"
psql() { command psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "${REUSE:-0}" != 1 ]; then
psql -c "DROP DATABASE IF EXISTS $target_db" -c "CREATE DATABASE $target_db TEMPLATE $source_db"
have=$(psql -d "$target_db" -c "SELECT COUNT(*) FROM events WHERE type = 'm.room.message'")
psql -d "$target_db" <<SQL
-- The newest message of each room, as templates. (Looking them up per inserted row instead would
-- make every lookup step over the rows inserted so far, which the statement cannot see.)
CREATE TEMPORARY TABLE templates AS
SELECT row_number() OVER (ORDER BY room_id) - 1 AS slot, t.* FROM (
  SELECT DISTINCT ON (room_id) room_id, sender, depth, origin_server_ts, state_group, pdu FROM events
  WHERE type = 'm.room.message' ORDER BY room_id, stream_ordering DESC) AS t;
INSERT INTO events (stream_ordering, event_id, room_id, type, state_key, sender, depth, origin_server_ts,
                    state_group, pdu)
SELECT m.max_stream + n, '\$synthetic-' || n, t.room_id, 'm.room.message', NULL, t.sender, t.depth + n,
       t.origin_server_ts + n, t.state_group,
       jsonb_set(t.pdu::jsonb, '{content,body}', to_jsonb(
         (SELECT string_agg('q' || substr(md5((n * 13 + w)::text), 1, 3 + (n + w) % 4), ' ')
            FROM generate_series(1, 5 + n % 8) AS w)
         || CASE WHEN (n + $have) % 5 = 2 THEN ' alpha' ELSE '' END
         || CASE WHEN (n + $have) % 50 = 25 THEN ' bravo' ELSE '' END
         || CASE WHEN (n + $have) % 500 = 250 THEN ' charlie' ELSE '' END
         || CASE WHEN (n + $have) % 5000 = 2500 THEN ' delta' ELSE '' END
         || CASE WHEN (n + $have) % 50000 = 25000 THEN ' echo' ELSE '' END))::text
FROM generate_series(1, $total - $have) AS n
     CROSS JOIN (SELECT MAX(stream_ordering) AS max_stream FROM events) AS m
     JOIN templates t ON t.slot = n % (SELECT COUNT(*) FROM templates);
VACUUM ANALYZE events;
SQL
fi
rooms=$(psql -d "$target_db" -c "SELECT string_agg(quote_literal(room_id), ', ') FROM rooms")
echo "messages: $(psql -d "$target_db" -c "SELECT COUNT(*) FROM events WHERE type = 'm.room.message'")"
for term in alpha bravo charlie delta echo zulu; do
  for order in rank recent; do
    outer="rank DESC, m.stream_ordering DESC"
    before=""
    if [ "$order" = recent ]; then
      outer="m.stream_ordering DESC"
      before="AND e.stream_ordering < 9223372036854775807"
    fi
    sql="EXPLAIN (ANALYZE, TIMING OFF) WITH m AS (SELECT e.stream_ordering, e.event_id, e.room_id, e.search_vector
      FROM events e WHERE e.search_vector @@ plainto_tsquery('english', '$term') AND (e.room_id IN ($rooms))
      $before
      ORDER BY e.stream_ordering DESC LIMIT 1000)
      SELECT m.stream_ordering, m.event_id, m.room_id, ts_rank(m.search_vector, plainto_tsquery('english', '$term')) AS rank,
      (SELECT COUNT(*) FROM m) AS total FROM m ORDER BY $outer LIMIT 10 OFFSET 0"
    times=$(for _ in $(seq 1 "$runs"); do psql -d "$target_db" -c "$sql" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p'; done | sort -n)
    p50=$(echo "$times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    max=$(echo "$times" | tail -1)
    echo "$term $order p50=${p50}ms max=${max}ms"
  done
done
