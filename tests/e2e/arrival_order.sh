#!/usr/bin/env bash
# Files are matched to cases in the order they arrived, not in the order
# two workers finish reading them: a long fax sent first and a one-page
# fax sent after it are recorded long one first (pool.c holds the short
# one's result until the long one's is in).
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
I="$T/inbox"
# an application of several pages, read for seconds; a blank page
"$FI_BUILD/tools/faxsynth" case --hospital keio --scenario referral_missing \
	--seed 41 --out "$T/c1" --fileno 100 >/dev/null
set -- "$T/c1"/*.tif
cp "$1" "$I/a_long.tif"
"$MKFIXTURE" tiff-g4-fine "$I/b_short.tif" 1
touch -d '1 minute ago' "$I"/*.tif

rc=0
timeout 300 "$FAXINTAKED" --config "$T/faxintake.conf" --once \
	>"$T/daemon.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$T/daemon.log"; fail "faxintaked --once exited $rc"; }

DB="$T/state/faxintake.db"
ids=$(sqlite3 "$DB" "select id from files order by name" | tr '\n' ' ')
[ "$ids" = "1 2 " ] || fail "files claimed out of name order: $ids"
order=$(sqlite3 "$DB" "select file_id from events where action = 'decoded'
	order by id" | tr '\n' ' ')
[ "$order" = "1 2 " ] || { cat "$T/daemon.log"; fail "recorded in order $order, not 1 2"; }
# the short file was read first and waited (both workers were busy)
grep -q "file 2: read before an earlier file; held" "$T/daemon.log" ||
	{ cat "$T/daemon.log"; fail "the short file was not held"; }
echo "ok: arrival order kept"
