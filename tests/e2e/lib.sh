# Shared helpers for the end-to-end tests (sourced).
# Each test gets a temporary directory $T with an inbox and a state dir,
# and a config $T/faxintake.conf; everything is removed on exit.
set -eu
: "${FI_BUILD:?FI_BUILD must name the build directory}"
FAXINTAKED="$FI_BUILD/faxintaked"
FAXINTAKE="$FI_BUILD/faxintake"
MKFIXTURE="$FI_BUILD/tools/mkfixture"
T=$(mktemp -d "${TMPDIR:-/tmp}/fi-e2e.XXXXXX")
DAEMON_PID=
cleanup() {
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -9 "$DAEMON_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/inbox" "$T/state"

# F ARGS: faxintake on this test's config; casefns.sh's staff helpers
# (resolve_review, letter_of ...) use the same command.
F() { "$FAXINTAKE" --config "$T/faxintake.conf" "$@"; }
FAXINTAKE_CMD=("$FAXINTAKE" --config "$T/faxintake.conf")
. "$(dirname "${BASH_SOURCE[0]}")/../casefns.sh"

# write_config [extra lines for [daemon]]
# The intake tests only decode (read_pages = no): OCR is the reading
# stage's, tested on its own; READ_PAGES=yes turns it on.
write_config() {
	cat >"$T/faxintake.conf" <<CONF
[daemon]
state_dir = $T/state
workers = 2
ready_seconds = 1
log_level = debug
read_pages = ${READ_PAGES:-no}
$*

[inbox fax]
path = $T/inbox
hospital = keio
CONF
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# json_check PYTHON-EXPR-ON-d [message]: d is the parsed JSON on stdin.
json_check() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = eval(sys.argv[1])
if not ok:
    print("json_check failed:", sys.argv[1], file=sys.stderr)
    json.dump(d, sys.stderr, ensure_ascii=False, indent=1)
    sys.exit(1)
' "$1"
}

# files_json: the arrivals as JSON.
files_json() { "$FAXINTAKE" --config "$T/faxintake.conf" files --json; }

# start_daemon: run faxintaked in the foreground, log to $T/daemon.log.
start_daemon() {
	"$FAXINTAKED" --config "$T/faxintake.conf" --foreground \
		>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	wait_for 10 "grep -q 'started:' '$T/daemon.log'" || {
		cat "$T/daemon.log" >&2; fail "daemon did not start"; }
}

# wait_for SECONDS SHELL-CONDITION: poll every 0.1 s.
wait_for() {
	local limit=$(( $1 * 10 )) i=0
	while [ $i -lt $limit ]; do
		if eval "$2"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# state_count STATE: how many files are in a state (via the CLI).
state_count() {
	files_json | python3 -c '
import json, sys
print(sum(1 for f in json.load(sys.stdin) if f["state"] == sys.argv[1]))' "$1"
}
