#!/bin/bash
# PostgreSQL backend CPU per job for the statements a no-op job costs, in three table layouts, on
# a fresh database of the server at 127.0.0.1:5432 (created and dropped here). Batches of 1,000:
#   a  today's schema: insert + "queued" history, dispatch mark (UPDATE), outcome UPDATE + 2 history rows
#   b  the dispatch mark moved to a narrow outbox table (insert, then DELETE), no partial index on
#      status, fillfactor 80 on jobs: the outcome UPDATE may be HOT
#   c  b without the "queued" history row
# Usage: docs/pg-row-writes.sh a|b|c [batches]
set -euo pipefail
v=$1; n=${2:-40}; db=kfm_rowwrites_${v}_$$
here=$(cd "$(dirname "$0")/.." && pwd)
migration=$here/api-service/src/main/resources/db/migration/V1__jobs.sql
psql() { command psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 "$@"; }
schema=$(cat "$migration")
if [ "$v" != a ]; then
  schema=$(sed -e 's/^CREATE INDEX jobs_due .*/CREATE TABLE job_outbox (job_id uuid PRIMARY KEY, due_at timestamptz NOT NULL); CREATE INDEX job_outbox_due ON job_outbox (due_at); ALTER TABLE jobs SET (fillfactor = 80);/' \
               -e '/^CREATE INDEX jobs_active_status/d' "$migration")
fi
psql -qc "create database $db"
trap 'psql -qc "drop database if exists $db"' EXIT
psql -d "$db" -q <<<"$schema"
load() {
  for _ in $(seq 1 "$n"); do
    echo "SET client_min_messages = warning; CREATE TEMP TABLE IF NOT EXISTS b(id uuid); TRUNCATE b;"
    echo "INSERT INTO b SELECT gen_random_uuid() FROM generate_series(1, 1000);"
    echo "BEGIN;"
    echo "INSERT INTO jobs (id, task, task_version, status, params, owner, params_hash, queue, max_attempts, run_at, next_dispatch_at, trace_id)"
    echo "  SELECT id, 'system.noop', 1, 'queued', '{\"ms\":0}', 'bench', md5(id::text), 'default', 3, now(), now(), md5(id::text) FROM b;"
    [ "$v" != c ] && echo "INSERT INTO job_events (job_id, type, attempt, at) SELECT id, 'queued', 1, now() FROM b;"
    [ "$v" != a ] && echo "INSERT INTO job_outbox SELECT id, now() FROM b;"
    echo "COMMIT;"
    if [ "$v" = a ]; then
      echo "UPDATE jobs SET next_dispatch_at = NULL, dispatched_at = now(), updated_at = now() WHERE id IN (SELECT id FROM b);"
    else
      echo "DELETE FROM job_outbox WHERE job_id IN (SELECT id FROM b);"
    fi
    echo "BEGIN;"
    echo "SELECT count(*) FROM (SELECT id FROM jobs WHERE id IN (SELECT id FROM b) ORDER BY id FOR UPDATE) x;"
    echo "UPDATE jobs SET status = 'succeeded', started_at = now(), finished_at = now(), worker_id = 'w1', result = '{\"ok\":true}',"
    echo "  last_heartbeat_at = now(), updated_at = now() WHERE id IN (SELECT id FROM b);"
    echo "INSERT INTO job_events (job_id, event_id, type, attempt, at, data) SELECT id, gen_random_uuid(), 'started', 1, now(), '{\"workerId\":\"w1\"}' FROM b;"
    echo "INSERT INTO job_events (job_id, event_id, type, attempt, at, data) SELECT id, gen_random_uuid(), 'succeeded', 1, now(), '{\"result\":{\"ok\":true}}' FROM b;"
    echo "COMMIT;"
  done
}
load > "/tmp/$db.sql"
psql -d "$db" -q -f "/tmp/$db.sql" >/dev/null &
client=$!
backend=""
until [ -n "$backend" ] || ! kill -0 $client 2>/dev/null; do
  backend=$(psql -Atc "select pid from pg_stat_activity where datname = '$db' and pid <> pg_backend_pid() limit 1")
done
ticks=0
while kill -0 $client 2>/dev/null; do
  t=$(awk '{print $14 + $15}' "/proc/$backend/stat" 2>/dev/null) && ticks=$t
  sleep 0.05
done
wait $client
rm -f "/tmp/$db.sql"
hot=$(psql -d "$db" -Atc "select n_tup_upd || ' updates, ' || n_tup_hot_upd || ' HOT' from pg_stat_user_tables where relname = 'jobs'")
echo "layout $v: backend CPU $(echo "scale=4; $ticks * 10 / ($n * 1000)" | bc) ms per job ($hot)"
