#!/usr/bin/env bash
# Issue 2, must show 4: a worker killed by a signal mid-file: the daemon
# carries on, the file is retried once and then quarantined with the
# signal as the reason.
. "$(dirname "$0")/lib.sh"
write_config
printf '\n[limits]\njob_seconds = 600\n' >>"$T/faxintake.conf"
sed -i 's/^workers = 2/workers = 1/' "$T/faxintake.conf"
start_daemon
"$MKFIXTURE" pdf "$T/inbox/long.pdf" 150	# keeps a worker busy for seconds

kill_worker_of_file() {
	local seen=$1 pid
	wait_for 30 "[ \$(grep -c 'file 1: to worker' '$T/daemon.log') -ge $seen ]" \
		|| { cat "$T/daemon.log"; fail "file not dispatched (round $seen)"; }
	pid=$(grep 'file 1: to worker' "$T/daemon.log" | tail -1 | awk '{print $NF}')
	# One OpenMP thread per worker, set where libgomp reads it: at exec.
	tr '\0' '\n' <"/proc/$pid/environ" | grep -qx 'OMP_THREAD_LIMIT=1' \
		|| fail "worker $pid runs without OMP_THREAD_LIMIT=1"
	sleep 0.3
	kill -9 "$pid" || fail "worker $pid already gone"
}
kill_worker_of_file 1
wait_for 10 "grep -q 'file 1: the worker reading it was killed by signal 9' '$T/daemon.log'" \
	|| { cat "$T/daemon.log"; fail "crash not noticed"; }
kill_worker_of_file 2
wait_for 20 '[ "$(state_count quarantined)" = 1 ]' || { cat "$T/daemon.log"; fail "not quarantined"; }
files_json | json_check 'd[0]["reason_code"] == "worker_crash" and "signal 9" in d[0]["reason"] and "2 times" in d[0]["reason"]' \
	|| fail "reason does not name the signal"
[ -f "$T/state/quarantine/$(files_json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["sha256"])')" ] \
	|| fail "file not in the quarantine"

# The daemon carries on: a new worker reads the next file.
kill -0 "$DAEMON_PID" || fail "daemon died"
"$MKFIXTURE" tiff-g4-fine "$T/inbox/next.tif" 2
wait_for 20 '[ "$(state_count done)" = 1 ]' || { cat "$T/daemon.log"; fail "daemon stopped working"; }
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || fail "exit status on SIGTERM"
DAEMON_PID=
echo ok
