#!/usr/bin/env bash
# Issue 2: when the disk is full, stop claiming, leave files in the inbox,
# log it (once), and carry on once there is room: nothing is lost.  The
# state dir is a small tmpfs, mounted in a private mount namespace (as
# root, or as anyone through a user namespace).
if [ -z "${FI_IN_NS:-}" ]; then
	if [ "$(id -u)" = 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
	exec env FI_IN_NS=1 $ns --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
mount -t tmpfs -o size=40m,mode=0700 tmpfs "$T/state" || fail "cannot mount a tmpfs"
trap 'umount "$T/state" 2>/dev/null; cleanup' EXIT
write_config
start_daemon
"$MKFIXTURE" tiff-g4-fine "$T/inbox/first.tif" 2
wait_for 20 '[ "$(state_count done)" = 1 ]' || { cat "$T/daemon.log"; fail "first file"; }

# Leave about 6 MB: under the 16 MB the daemon keeps free.
avail=$(df -m --output=avail "$T/state" | tail -1 | tr -d ' ')
dd if=/dev/zero of="$T/state/filler" bs=1M count=$((avail - 6)) status=none
"$MKFIXTURE" pdf "$T/inbox/second.pdf" 2
"$MKFIXTURE" png "$T/inbox/third.png"
sleep 4
[ -f "$T/inbox/second.pdf" ] && [ -f "$T/inbox/third.png" ] || fail "claimed with a full disk"
[ "$(files_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] \
	|| fail "recorded with a full disk"
[ "$(grep -c 'is full: files stay in the inboxes' "$T/daemon.log")" = 1 ] \
	|| { cat "$T/daemon.log"; fail "disk full not logged exactly once"; }
# File names may be patient data (scans named after the patient): never
# above debug.
! grep -v '^<7>' "$T/daemon.log" | grep -q 'second.pdf\|third.png' \
	|| fail "a file name was logged above debug"
kill -0 "$DAEMON_PID" || fail "daemon died on a full disk"

rm -f "$T/state/filler"
wait_for 30 '[ "$(state_count done)" = 3 ]' || { cat "$T/daemon.log"; fail "did not carry on when there was room"; }
[ -z "$(ls -A "$T/inbox")" ] || fail "inbox not emptied"
grep -q 'claiming resumed' "$T/daemon.log" || fail "resume not logged"
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || fail "exit status"
DAEMON_PID=
echo ok
