#!/usr/bin/env bash
# Compose smoke test (`npm run test:compose`): builds the image, starts the whole stack of
# docker-compose.yml (+ docker-compose.offline.yml), waits until every container is healthy, then
# checks through the gateway that the gateway and each plugin report ready. Always tears the stack
# down again (volumes included).
#
# Uses the docker-offline tools from ../shared/tools/docker-offline (beside the repository) to start
# a Docker engine and build the base images where no registry can be reached. A dockerd that this
# script started is stopped at the end; one that was already running is left alone.
#
# Environment:
#   PORTAL_PORT          published gateway port on 127.0.0.1 (default 17007; the dev runner uses 7007)
#   SMOKE_TIMEOUT        seconds to wait for the stack to become healthy (default 600)
#   SMOKE_PROJECT        compose project name (default portalci)
#   DOCKER_OFFLINE_DIR   where the docker-offline scripts are (default ../shared/tools/docker-offline)
#   SMOKE_EXTRA_FILES    more compose files (space-separated) merged after the two above
#   SMOKE_KEEP=1         leave the stack running (no teardown) for inspection
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
OFFLINE=${DOCKER_OFFLINE_DIR:-$ROOT/../shared/tools/docker-offline}
PROJECT=${SMOKE_PROJECT:-portalci}
TIMEOUT=${SMOKE_TIMEOUT:-600}
PLUGINS=(catalog permission search techdocs scaffolder)
READINESS=/.backstage/health/v1/readiness

export PORTAL_PORT=${PORTAL_PORT:-17007}
export PORTAL_BASE_URL=${PORTAL_BASE_URL:-http://localhost:$PORTAL_PORT}
export PORTAL_DISCOVERY_SECRET=${PORTAL_DISCOVERY_SECRET:-smoke-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
# Legacy builder (no buildx on Debian 12); compose v1 builds through its own client.
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
DC=(docker-compose -p "$PROJECT" -f docker-compose.yml -f docker-compose.offline.yml)
for extra in ${SMOKE_EXTRA_FILES:-}; do DC+=(-f "$extra"); done
BASE=http://127.0.0.1:$PORTAL_PORT

t0=$SECONDS
say() { printf '\n[compose-smoke %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
  say "FAILED: $*"
  exit 1
}

# HTTP status of GET $1 (000 when there is no answer). node is there whenever npm is.
http_status() {
  node -e "fetch(process.argv[1],{signal:AbortSignal.timeout(5000)}).then(r=>console.log(r.status),()=>console.log('000'))" "$1"
}

# name state health restarts, one line per container of the project
container_states() {
  local ids
  ids=$("${DC[@]}" ps -q 2>/dev/null || true)
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2086
  "$DOCKER" inspect -f \
    '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}} {{.RestartCount}}' \
    $ids 2>/dev/null | sort
}

[ -d "$OFFLINE" ] || die "docker-offline tools not found at $OFFLINE (set DOCKER_OFFLINE_DIR)"

started_dockerd=0
stack_up=0
result=1
cleanup() {
  local rc=$?
  if [ "$stack_up" = 1 ]; then
    if [ "$result" != 0 ]; then
      say "stack state"
      "${DC[@]}" ps || true
      for svc in $("${DC[@]}" config --services); do
        say "last log lines of $svc"
        "${DC[@]}" logs --no-color --tail=60 "$svc" 2>&1 || true
      done
    fi
    if [ "${SMOKE_KEEP:-0}" = 1 ]; then
      say "SMOKE_KEEP=1: stack '$PROJECT' left running on $BASE"
    else
      say "tearing down"
      "${DC[@]}" down -v --remove-orphans --timeout 20 || true
    fi
  fi
  if [ "$started_dockerd" = 1 ] && [ "${SMOKE_KEEP:-0}" != 1 ]; then
    bash "$OFFLINE/stop-dockerd.sh" || true
  fi
  say "total $((SECONDS - t0)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- engine and base images -------------------------------------------------------------------
say "Docker engine"
if "$DOCKER" info >/dev/null 2>&1; then
  echo "a Docker daemon is already running; it will be left running"
else
  bash "$OFFLINE/start-dockerd.sh"
  started_dockerd=1
fi
say "base images"
bash "$OFFLINE/base-images.sh"

# --- build and start --------------------------------------------------------------------------
port_free() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($PORTAL_PORT,'127.0.0.1',()=>s.close())"
}
port_free || die "port $PORTAL_PORT on 127.0.0.1 is in use; set PORTAL_PORT to a free port"
# A previous run that was killed hard may have left its containers.
"${DC[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
stack_up=1
say "docker-compose build (image ${PORTAL_IMAGE:-portal:local})"
t_build=$SECONDS
"${DC[@]}" build
build_s=$((SECONDS - t_build))
# Checked again: the build takes minutes, and the port may have been taken meanwhile.
port_free || die "port $PORTAL_PORT on 127.0.0.1 was taken during the build; set PORTAL_PORT to a free port"
say "docker-compose up -d (project $PROJECT, gateway on $BASE)"
t_up=$SECONDS
"${DC[@]}" up -d
up_s=$((SECONDS - t_up))

# --- wait until healthy -----------------------------------------------------------------------
expected=$("${DC[@]}" config --services | wc -l)
say "waiting up to ${TIMEOUT} s for $expected containers to be healthy"
t_wait=$SECONDS
deadline=$((SECONDS + TIMEOUT))
last=""
while :; do
  states=$(container_states)
  healthy=$(printf '%s\n' "$states" | awk '$3 == "healthy"' | grep -c . || true)
  if [ "$states" != "$last" ]; then
    printf '  %3d s  %d/%d healthy: %s\n' $((SECONDS - t_wait)) "$healthy" "$expected" \
      "$(printf '%s\n' "$states" | awk 'NF {printf "%s=%s ", $1, ($3 == "no-healthcheck" ? $2 : $3)}')"
    last=$states
  fi
  [ "$healthy" -eq "$expected" ] && break
  looping=$(printf '%s\n' "$states" | awk '$4 >= 3 {print $1 " (" $4 " restarts)"}')
  [ -z "$looping" ] || die "crash loop: $looping"
  exited=$(printf '%s\n' "$states" | awk '$2 == "exited" || $2 == "dead" {print $1}')
  [ -z "$exited" ] || die "container(s) stopped: $exited"
  [ "$SECONDS" -lt "$deadline" ] || die "not every container was healthy after ${TIMEOUT} s"
  sleep 2
done
healthy_s=$((SECONDS - t_wait))

# --- readiness through the gateway ------------------------------------------------------------
say "readiness through the gateway at $BASE"
declare -A status
check() {
  local name=$1 url=$2 code i
  # Healthy containers have registered already; allow a few seconds for the registry to settle.
  for i in $(seq 1 15); do
    code=$(http_status "$url")
    [ "$code" = 200 ] && break
    sleep 2
  done
  status[$name]=$code
}
check gateway "$BASE$READINESS"
for id in "${PLUGINS[@]}"; do check "$id" "$BASE/api/$id$READINESS"; done

failures=0
states=$(container_states)
row() { printf '  %-11s %-5s %-10s %-9s %s\n' "$@"; }
echo
row SERVICE HTTP HEALTH RESTARTS "CHECKED (GET $BASE…)"
for name in gateway "${PLUGINS[@]}" postgres redis; do
  read -r _ _ health restarts <<<"$(awk -v s="$name" '$1 == s' <<<"$states")"
  case $name in
    gateway) path=$READINESS ;;
    postgres | redis) path="(container healthcheck)" ;;
    *) path="/api/$name$READINESS" ;;
  esac
  code=${status[$name]:--}
  if [ "$code" != - ] && [ "$code" != 200 ]; then failures=$((failures + 1)); fi
  row "$name" "$code" "${health:-missing}" "${restarts:--}" "$path"
done
printf '\n  image build %d s; up -d %d s; all healthy %d s after that; total so far %d s\n' \
  "$build_s" "$up_s" "$healthy_s" $((SECONDS - t0))

[ "$failures" -eq 0 ] || die "$failures readiness check(s) did not answer 200"
result=0
say "PASSED: gateway and ${#PLUGINS[@]} plugins ready through the gateway"
