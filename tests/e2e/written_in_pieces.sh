#!/usr/bin/env bash
# Issue 2, must show 2: the running daemon ignores a file while it is
# being written in pieces and takes it once it is complete.
. "$(dirname "$0")/lib.sh"
write_config
start_daemon
"$MKFIXTURE" tiff-g4-fine "$T/whole.tif" 3
size=$(stat -c %s "$T/whole.tif")
half=$((size / 2))

# One writer keeps the file open between pieces (a fax arriving).
exec 3>"$T/inbox/arriving.tif"
head -c "$half" "$T/whole.tif" >&3
sleep 3		# longer than ready_seconds: only the open file holds it back
[ "$(state_count processing)$(files_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "00" ] \
	|| fail "took the file while it was being written"
[ -f "$T/inbox/arriving.tif" ] || fail "file left the inbox while being written"
tail -c +$((half + 1)) "$T/whole.tif" >&3
exec 3>&-
wait_for 20 '[ "$(state_count done)" = 1 ]' || { cat "$T/daemon.log"; fail "not taken once complete"; }
files_json | json_check 'd[0]["name"] == "arriving.tif" and d[0]["pages"] == 3' \
	|| fail "the complete file was not read whole"

# A scanner that opens, appends and closes in quick pieces: each close
# restarts the wait, so the file is read only once it stopped changing.
for i in 1 2 3 4; do
	start=$(( (i - 1) * size / 4 )); len=$(( i * size / 4 - start ))
	tail -c +$((start + 1)) "$T/whole.tif" | head -c "$len" >>"$T/inbox/scanned.tif"
	sleep 0.3
done
# Same bytes as the first: recorded as its duplicate, never as corrupt.
wait_for 20 '[ "$(state_count duplicate)" = 1 ]' || { cat "$T/daemon.log"; fail "pieces: not taken"; }
[ "$(state_count quarantined)" = 0 ] || fail "a partial file was read"

# HylaFAX holds a lock on a fax while faxgetty receives it.
cp "$T/whole.tif" "$T/locked.tif"
"$MKFIXTURE" tiff-g4-fine "$T/other.tif" 2
cp "$T/other.tif" "$T/inbox/.locked.tmp"
flock -x "$T/inbox/.locked.tmp" -c "mv '$T/inbox/.locked.tmp' '$T/inbox/fax0001.tif'; sleep 3" &
lockpid=$!
sleep 2
[ -f "$T/inbox/fax0001.tif" ] || fail "took a file while its writer held the lock"
wait "$lockpid"
wait_for 20 '[ "$(state_count done)" = 2 ]' || { cat "$T/daemon.log"; fail "locked file not taken after unlock"; }
kill "$DAEMON_PID"
wait "$DAEMON_PID" || fail "daemon exit status on SIGTERM"
DAEMON_PID=
echo ok
