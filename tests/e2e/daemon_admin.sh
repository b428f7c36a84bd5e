#!/usr/bin/env bash
# The administrator's side of issue 2: configuration errors name FILE:LINE
# and exit 2; a broken hospital profile stops the start; one daemon per
# state dir; no CPU when idle; SIGHUP reloads (a bad file changes nothing);
# sd_notify READY/STOPPING; an inbox on another file system is claimed by
# copy.
. "$(dirname "$0")/lib.sh"

# --- configuration errors: every one, with its line, exit 2 ---
cat >"$T/bad.conf" <<CONF
[daemon]
state_dir = $T/state
workers = many
colour = blue
[inbox fax]
hospital = keio
[nonsense]
x = 1
CONF
rc=0; "$FAXINTAKED" --config "$T/bad.conf" --once 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "bad config: exit $rc, want 2"
grep -q "bad.conf:3: workers: 'many' is not a whole number" "$T/err" || { cat "$T/err"; fail "line 3 not named"; }
grep -q "bad.conf:4: unknown key 'colour' in \[daemon\]" "$T/err" || fail "line 4 not named"
grep -q "bad.conf:7: unknown section \[nonsense\]" "$T/err" || fail "line 7 not named"
grep -q "bad.conf:5: \[inbox fax\] has no path" "$T/err" || fail "missing path not named"
rc=0; "$FAXINTAKE" --config "$T/bad.conf" files 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "faxintake with a bad config: exit $rc, want 2"
rc=0; FAXINTAKE_CONFIG="$T/bad.conf" "$FAXINTAKE" files 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "FAXINTAKE_CONFIG not used"
rc=0; "$FAXINTAKED" --config "$T/none.conf" --once 2>"$T/err" || rc=$?
[ "$rc" = 2 ] && grep -q "none.conf" "$T/err" || fail "missing config: exit $rc"

# --- a broken profile: the daemon refuses to start and says why ---
mkdir -p "$T/tpl"
cp -R "$(dirname "$0")/../../templates/." "$T/tpl/"
printf '\nbogus_key = 1\n' >>"$T/tpl/hospitals/keio/profile.ini"
line=$(wc -l <"$T/tpl/hospitals/keio/profile.ini")
write_config "templates_dir = $T/tpl"
rc=0; "$FAXINTAKED" --config "$T/faxintake.conf" --once 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "broken profile: exit $rc, want 2"
grep -q "hospitals/keio/profile.ini:$line:" "$T/err" || { cat "$T/err"; fail "profile error without FILE:LINE"; }
[ ! -e "$T/state/faxintake.db" ] || fail "started half-way on a broken profile"

# --- one daemon per state dir; sd_notify; idle CPU ---
write_config
python3 - "$T/notify.sock" >"$T/notify.log" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
try:
    while True:
        m = s.recv(4096).decode()
        print(m, flush=True)
        if "STOPPING=1" in m:
            break
except socket.timeout:
    pass
PY
notpid=$!
wait_for 5 "[ -S '$T/notify.sock' ]" || fail "notify socket"
# A case left receiving for a hospital that has no inbox any more (its
# [inbox] removed): it must go to review, not keep the daemon busy.
"$FAXINTAKED" --config "$T/faxintake.conf" --once 2>/dev/null || fail "creating the state"
sqlite3 "$T/state/faxintake.db" "insert into cases (id, hospital, received,
	status, updated, last_arrival) values ('20200101-0001', 'gone', 1577836800,
	'receiving', 1577836800, 1577836800)"
NOTIFY_SOCKET="$T/notify.sock" start_daemon
wait_for 5 "grep -q READY=1 '$T/notify.log'" || fail "no READY=1 sent"
rc=0; "$FAXINTAKED" --config "$T/faxintake.conf" --once 2>"$T/err" || rc=$?
[ "$rc" = 2 ] || fail "second daemon: exit $rc, want 2"
grep -q "in use by another faxintaked (pid $DAEMON_PID)" "$T/err" || { cat "$T/err"; fail "second daemon message"; }

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wait_for 5 "[ \"\$(sqlite3 '$T/state/faxintake.db' \"select status from cases where id='20200101-0001'\")\" = needs_review ]" \
	|| fail "a case without a profile was not left for review"
sleep 1
before=$(cpu "$DAEMON_PID"); sleep 3; after=$(cpu "$DAEMON_PID")
[ "$before" = "$after" ] || fail "idle daemon used CPU: $before -> $after ticks"

# --- SIGHUP: a bad file changes nothing; a good one is applied ---
cp "$T/faxintake.conf" "$T/good.conf"
echo "colour = blue" >>"$T/faxintake.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 "grep -q 'reload: configuration not changed' '$T/daemon.log'" || fail "bad reload not refused"
kill -0 "$DAEMON_PID" || fail "daemon died on a bad reload"
# A second inbox, on another file system (tmpfs): claimed by copy.
SHM=$(mktemp -d /dev/shm/fi-e2e.XXXXXX)
trap 'rm -rf "$SHM"; cleanup' EXIT
cp "$T/good.conf" "$T/faxintake.conf"
printf '\n[inbox scans]\npath = %s\nhospital = tohoku\n' "$SHM" >>"$T/faxintake.conf"
kill -HUP "$DAEMON_PID"
wait_for 5 "grep -q 'configuration reloaded' '$T/daemon.log'" || fail "reload not applied"
"$MKFIXTURE" pdf "$SHM/.scan.tmp" 3 && mv "$SHM/.scan.tmp" "$SHM/scan.pdf"
[ "$(stat -f -c %T "$SHM")" != "$(stat -f -c %T "$T/state")" ] || echo "note: same fs type"
sum=$(sha256sum "$SHM/scan.pdf" | cut -d' ' -f1)
wait_for 20 '[ "$(state_count done)" = 1 ]' || { cat "$T/daemon.log"; fail "scan inbox not claimed"; }
[ -z "$(ls -A "$SHM")" ] || fail "source left on the other file system"
[ "$(sha256sum "$T/state/spool/$sum" | cut -d' ' -f1)" = "$sum" ] || fail "copied bytes differ"
files_json | json_check 'd[0]["inbox"] == "scans" and d[0]["pages"] == 3' || fail "scan record"

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" || fail "exit status on SIGTERM"
DAEMON_PID=
wait_for 5 "grep -q STOPPING=1 '$T/notify.log'" || fail "no STOPPING=1 sent"
wait "$notpid" 2>/dev/null || true
echo ok
