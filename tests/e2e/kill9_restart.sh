#!/usr/bin/env bash
# Issue 2, must show 3: kill -9 of the daemon while it processes a batch,
# then a restart: every file ends done or quarantined exactly once, and
# nothing is left in the inbox or spool unaccounted for.  Killed at
# several instants, with no orphaned worker left each time.
. "$(dirname "$0")/lib.sh"
write_config
I="$T/inbox"
for n in 1 2 3 4 5 6 7 8; do "$MKFIXTURE" tiff-g4-fine "$I/fine$n.tif" "$n"; done
for n in 1 2 3 4 5 6; do "$MKFIXTURE" tiff-g3-normal "$I/normal$n.tif" "$n"; done
for n in 5 10 20 30 40; do "$MKFIXTURE" pdf "$I/scan$n.pdf" "$n"; done
"$MKFIXTURE" png "$I/a.png"; "$MKFIXTURE" jpeg "$I/b.jpg"
"$MKFIXTURE" tiff-truncated "$I/bad1.tif"; echo text >"$I/bad2.tif"; : >"$I/bad3.tif"
total=$(ls "$I" | wc -l)
expect_bad=3

for delay in 0.05 0.3 0.8 1.5; do
	"$FAXINTAKED" --config "$T/faxintake.conf" --foreground >>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	sleep "$delay"
	kill -9 "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null || true
	# Workers die with the daemon.
	wait_for 5 '! pgrep -f -- "--worker $DAEMON_PID " >/dev/null' \
		|| fail "orphaned workers after kill -9: $(pgrep -af -- "--worker $DAEMON_PID ")"
	DAEMON_PID=
done
timeout 120 "$FAXINTAKED" --config "$T/faxintake.conf" --once >>"$T/daemon.log" 2>&1 \
	|| { tail -50 "$T/daemon.log"; fail "restart failed"; }

files_json >"$T/files.json"
json_check "len(d) == $total" <"$T/files.json" || fail "expected $total records"
json_check "len(set(f['name'] for f in d)) == $total" <"$T/files.json" || fail "a file was recorded twice"
json_check "sum(f['state'] == 'done' for f in d) == $((total - expect_bad))" <"$T/files.json" || fail "done count"
json_check "sum(f['state'] == 'quarantined' for f in d) == $expect_bad" <"$T/files.json" || fail "quarantined count"
json_check "all(f['pages'] > 0 for f in d if f['state'] == 'done')" <"$T/files.json" || fail "pages"
[ -z "$(ls -A "$I")" ] || fail "inbox not empty: $(ls -A "$I")"
[ "$(ls -A "$T/state/spool" | wc -l)" = $((total - expect_bad)) ] || fail "spool: $(ls -A "$T/state/spool")"
[ "$(ls -A "$T/state/quarantine" | wc -l)" = $expect_bad ] || fail "quarantine: $(ls -A "$T/state/quarantine")"
# Every spooled file is the bytes its record names.
for f in "$T/state/spool/"*; do
	[ "$(sha256sum "$f" | cut -d' ' -f1)" = "$(basename "$f")" ] || fail "spool file $f corrupt"
done
# Each file's pages were stored once.
dups=$(sqlite3 "$T/state/faxintake.db" "select count(*) from (select file_id, pageno from pages group by 1,2 having count(*) > 1)")
[ "$dups" = 0 ] || fail "pages stored twice"
echo ok
