#!/usr/bin/env bash
# Shared set-up steps for ./run and ./test. Every step is idempotent and quick when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PS_PG_PORT="${PS_PG_PORT:-55432}"
PS_PG_USER="preferencestudio"
PS_PG_PASSWORD="${PS_PG_PASSWORD:-preferencestudio}"
DEBIAN_PACKAGES=(postgresql chromium fonts-dejavu-core)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # libtorch comes with TorchSharp from NuGet. Where the system libstdc++ is older than GCC 13's (Debian 12), the build
  # patches TorchSharp's library with patchelf and a tiny shim built by g++ (scripts/torchsharp-compat.sh).
  # --needed exits 1 only when the step is known to be unneeded; an error (2) installs the tools to be safe.
  local needed=0; "$ROOT/scripts/torchsharp-compat.sh" --needed || needed=$?
  if [ "$needed" -ne 1 ]; then
    command -v patchelf >/dev/null || missing+=(patchelf)
    command -v g++ >/dev/null || missing+=(g++)
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || die "The .NET 10 SDK is needed (https://dotnet.microsoft.com/download): dotnet is not on PATH."
}

build_solution() {
  cd "$ROOT"
  log "Restoring and building the solution"
  dotnet tool restore >/dev/null
  dotnet build PreferenceStudio.sln -c "${CONFIGURATION:-Debug}" -nologo -clp:ErrorsOnly
}

# A private PostgreSQL cluster in .data/pg, listening on 127.0.0.1:$PS_PG_PORT. PostgreSQL refuses to run
# as root, so as root the cluster belongs to the 'postgres' user that Debian's package creates.
# A cluster this shell starts is remembered, so stop_private_postgres stops that one and nothing else.
PS_PG_STARTED_HERE=0
start_private_postgres() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql."
  local data_root="${PS_DATA_DIR:-$ROOT/.data}"
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    run=(runuser -u postgres --)
    mkdir -p "$data_root"
    chown postgres: "$data_root"
    # A checkout under a private home (e.g. /root) is out of the postgres user's reach: keep the cluster elsewhere.
    if ! runuser -u postgres -- test -w "$data_root"; then
      data_root="/var/lib/postgresql/preferencestudio-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
      mkdir -p "$data_root" && chown postgres: "$data_root"
    fi
  fi
  local data="$data_root/pg" sockets="$data_root/pg-sockets"
  PS_PG_CTL=("${run[@]}" "$bin/pg_ctl" -D "$data")
  "${run[@]}" mkdir -p "$sockets"
  if [ ! -s "$data/PG_VERSION" ]; then
    log "Creating a private PostgreSQL cluster in $data"
    local pwfile; pwfile="$(mktemp)"; printf '%s\n' "$PS_PG_PASSWORD" > "$pwfile"; chmod 644 "$pwfile"
    "${run[@]}" "$bin/initdb" -D "$data" -U "$PS_PG_USER" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
  fi
  if ! "${PS_PG_CTL[@]}" status >/dev/null 2>&1; then
    # Another server on the port (most often another checkout's cluster) would make ours fail with PostgreSQL's
    # "could not create any TCP/IP sockets": say what to do instead.
    if (exec 3<>"/dev/tcp/127.0.0.1/$PS_PG_PORT") 2>/dev/null; then
      die "127.0.0.1:$PS_PG_PORT is taken by another server (another checkout's PostgreSQL?): stop it, or run with PS_PG_PORT set to a free port."
    fi
    log "Starting PostgreSQL on 127.0.0.1:$PS_PG_PORT"
    "${PS_PG_CTL[@]}" -l "$data_root/postgres.log" -w -t 60 \
      -o "-p $PS_PG_PORT -c listen_addresses=127.0.0.1 -k $sockets -c max_connections=200 -c fsync=on" start >/dev/null \
      || { tail -n 20 "$data_root/postgres.log" >&2; die "PostgreSQL did not start; its log is above."; }
    PS_PG_STARTED_HERE=1
  fi
  export PS_PG_SERVER="Host=127.0.0.1;Port=$PS_PG_PORT;Username=$PS_PG_USER;Password=$PS_PG_PASSWORD"
}

# Stops the private cluster if this shell started it (./test, on exit), so that it does not hold its port after
# the command ends. PS_PG_KEEP=1 keeps it running, e.g. to run single test projects against it afterwards.
stop_private_postgres() {
  [ "$PS_PG_STARTED_HERE" = 1 ] && [ "${PS_PG_KEEP:-0}" != 1 ] || return 0
  log "Stopping the PostgreSQL this command started (PS_PG_KEEP=1 keeps it running)"
  "${PS_PG_CTL[@]}" -m fast -w stop >/dev/null || true
  PS_PG_STARTED_HERE=0
}

# ConnectionStrings:Default from the environment wins; otherwise the private cluster is the database.
configure_database() {
  if [ -n "${ConnectionStrings__Default:-}" ]; then
    log "Using the configured PostgreSQL (ConnectionStrings__Default)"
  else
    start_private_postgres
    export ConnectionStrings__Default="$PS_PG_SERVER;Database=preferencestudio"
  fi
}
