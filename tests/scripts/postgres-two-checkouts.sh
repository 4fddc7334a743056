#!/usr/bin/env bash
# Two checkouts, one port: the private PostgreSQL that ./test starts must not keep ./run in another checkout from
# starting its own, and a port someone else holds must be reported in one line that says what to do.
# Runs scripts/lib.sh's start/stop functions from two throw-away copies of the scripts; exits non-zero on failure.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
chmod 755 "$tmp" # the postgres user (when run as root) must reach the clusters below

pg_ctl_as_owner() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bin/pg_ctl" "$@"; else "$bin/pg_ctl" "$@"; fi
}
cleanup() {
  for c in a b; do
    [ -d "$tmp/$c/.data/pg" ] && pg_ctl_as_owner -D "$tmp/$c/.data/pg" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for c in a b; do
  mkdir -p "$tmp/$c/scripts"
  cp "$repo/scripts/lib.sh" "$tmp/$c/scripts/"
done
port=""
for candidate in $(shuf -i 20000-29999 -n 20); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || fail "no free port found"
export PS_PG_PORT=$port
unset PS_PG_KEEP

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# 1. Checkout a runs the test command's start and stop: nothing is left on the port afterwards.
bash -c 'source "$1/scripts/lib.sh"; start_private_postgres; trap stop_private_postgres EXIT; listening=1' _ "$tmp/a" \
  || fail "checkout a could not start its cluster"
listening && fail "checkout a's test run left PostgreSQL listening on $port"

# 2. Checkout b starts on the same port, as ./run does, and leaves its cluster running.
bash -c 'source "$1/scripts/lib.sh"; start_private_postgres' _ "$tmp/b" || fail "checkout b could not start after a's test run"
listening || fail "checkout b's cluster is not listening"

# 3. Checkout a now finds the port taken: one line that says what to do, and a non-zero exit.
if out="$(bash -c 'source "$1/scripts/lib.sh"; start_private_postgres' _ "$tmp/a" 2>&1)"; then
  fail "checkout a started although b holds the port"
fi
errors="$(grep -c 'error:' <<<"$out" || true)"
[ "$errors" = 1 ] || fail "expected one error line, got: $out"
grep -q "127.0.0.1:$port is taken by another server" <<<"$out" || fail "the error does not name the port: $out"
grep -q "PS_PG_PORT" <<<"$out" || fail "the error does not say how to pick another port: $out"
grep -q "could not create any TCP/IP sockets" <<<"$out" && fail "PostgreSQL's own error leaked out: $out"

# 4. A test command in b, whose cluster is already running, reuses it and leaves it running.
bash -c 'source "$1/scripts/lib.sh"; start_private_postgres; trap stop_private_postgres EXIT' _ "$tmp/b" \
  || fail "checkout b could not reuse its running cluster"
listening || fail "a test run in b stopped the cluster it did not start"

echo "ok: two checkouts share port $port without a stale server in the way"
