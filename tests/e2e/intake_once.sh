#!/usr/bin/env bash
# Issue 2, must show 1: one inbox holding every kind of arrival; after
# `faxintaked --once` each has the right state, page count and reason,
# the daemon exited 0 and the inbox is empty but for the link and FIFO.
. "$(dirname "$0")/lib.sh"
write_config
I="$T/inbox"
"$MKFIXTURE" tiff-g4-fine "$I/fine.tif" 3
"$MKFIXTURE" tiff-g3-normal "$I/normal.tif" 2
"$MKFIXTURE" pdf "$I/scan.pdf" 2
"$MKFIXTURE" png "$I/scan.png"
"$MKFIXTURE" jpeg "$I/photo.jpg"
"$MKFIXTURE" hylafax "$I/fax000123.tif" 2 --tsi "+81 3 3353 1211"
: >"$I/zero.tif"
"$MKFIXTURE" tiff-truncated "$I/truncated.tif"
echo "this is not a fax" >"$I/x.tif"
"$MKFIXTURE" tiff-huge "$I/huge.tif"
cp "$I/fine.tif" "$I/fine2.tif"
ln -s /etc/passwd "$I/link.tif"
mkfifo "$I/pipe.tif"
touch -d '1 minute ago' "$I"/*.tif "$I"/*.pdf "$I"/*.png "$I"/*.jpg 2>/dev/null || true

rc=0
timeout 120 "$FAXINTAKED" --config "$T/faxintake.conf" --once \
	>"$T/daemon.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$T/daemon.log"; fail "faxintaked --once exited $rc"; }

files_json >"$T/files.json"
check() { json_check "$1" <"$T/files.json" || fail "$2"; }
# by name: the single record of that name
py_by='{f["name"]: f for f in d}'
check "len(d) == 13" "13 arrivals recorded"
check "(lambda b: b['fax000123.tif']['state'] == 'done' and b['fax000123.tif']['sender'] == '0333531211')($py_by)" "HylaFAX TSI kept as the sender (digits)"
check "all(f['sender'] is None for f in d if f['name'] != 'fax000123.tif')" "no sender invented for files without one"
check "(lambda b: b['fine.tif']['state'] == 'done' and b['fine.tif']['pages'] == 3)($py_by)" "G4 fine TIFF: done, 3 pages"
check "(lambda b: b['normal.tif']['state'] == 'done' and b['normal.tif']['pages'] == 2)($py_by)" "G3 normal TIFF: done, 2 pages"
check "(lambda b: b['scan.pdf']['state'] == 'done' and b['scan.pdf']['pages'] == 2)($py_by)" "PDF: done, 2 pages"
check "(lambda b: b['scan.png']['state'] == 'done' and b['scan.png']['pages'] == 1)($py_by)" "PNG: done, 1 page"
check "(lambda b: b['photo.jpg']['state'] == 'done' and b['photo.jpg']['pages'] == 1)($py_by)" "JPEG: done, 1 page"
check "(lambda b: b['zero.tif']['state'] == 'quarantined' and b['zero.tif']['reason_code'] == 'empty' and b['zero.tif']['pages'] == 0)($py_by)" "zero-byte: quarantined, empty"
check "(lambda b: b['truncated.tif']['state'] == 'quarantined' and b['truncated.tif']['reason_code'] == 'corrupt' and b['truncated.tif']['reason'])($py_by)" "truncated TIFF: quarantined, corrupt"
check "(lambda b: b['x.tif']['state'] == 'quarantined' and b['x.tif']['reason_code'] == 'unsupported_type' and 'text' in b['x.tif']['reason'].lower())($py_by)" "text named .tif: unsupported_type naming the magic"
check "(lambda b: b['huge.tif']['state'] == 'quarantined' and b['huge.tif']['reason_code'] == 'over_limit' and '200000' in b['huge.tif']['reason'])($py_by)" "huge TIFF: over_limit naming the size"
check "(lambda b: b['fine2.tif']['state'] == 'duplicate' and b['fine2.tif']['duplicate_of'] == b['fine.tif']['id'] and b['fine2.tif']['sha256'] == b['fine.tif']['sha256'])($py_by)" "resent TIFF: duplicate of the first"
check "(lambda b: b['link.tif']['state'] == 'rejected' and b['link.tif']['reason_code'] == 'not_regular_file' and 'link' in b['link.tif']['reason'])($py_by)" "symbolic link: rejected"
check "(lambda b: b['pipe.tif']['state'] == 'rejected' and 'FIFO' in b['pipe.tif']['reason'])($py_by)" "FIFO: rejected"
check "all(f['state'] in ('done','quarantined','duplicate','rejected') for f in d)" "every file ended"
check "all(isinstance(f['id'], str) and f['cases'] == [] for f in d)" "ids are strings, cases empty"

# The inbox holds only the link and the FIFO, untouched.
left=$(cd "$I" && ls -A | sort | tr '\n' ' ')
[ "$left" = "link.tif pipe.tif " ] || fail "inbox left: $left"
[ -L "$I/link.tif" ] && [ -p "$I/pipe.tif" ] || fail "link/FIFO changed"

# Every byte is kept once: 6 read files in the spool, 4 in quarantine.
[ "$(ls "$T/state/spool" | wc -l)" = 6 ] || fail "spool: $(ls "$T/state/spool")"
[ "$(ls "$T/state/quarantine" | wc -l)" = 4 ] || fail "quarantine: $(ls "$T/state/quarantine")"
sha=$(sha256sum "$T/state/spool/"* | awk '{print $1}' | head -1)
[ -n "$sha" ]

# Nothing readable by others.
for p in "$T/state/faxintake.db" "$T/state/spool" "$T/state/quarantine" \
	"$T/state/spool/"*; do
	mode=$(stat -c %a "$p")
	case "$mode" in *[1-7]) fail "$p is mode $mode (others can read)";; esac
done

# File names may be patient data: none in the log above debug.
! grep -v '^<7>' "$T/daemon.log" | grep -q 'fine\.tif\|normal\.tif\|scan\.pdf\|photo\.jpg\|fax000123' \
	|| fail "a file name was logged above debug"

# A second run finds nothing new and records nothing twice.
"$FAXINTAKED" --config "$T/faxintake.conf" --once >>"$T/daemon.log" 2>&1 || fail "second run"
n=$(files_json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" = 13 ] || fail "second run recorded again: $n"

# Page facts of the fax files were stored (resolution tags).
sqlite3 "$T/state/faxintake.db" "select xres||'x'||yres from pages p join files f on f.id=p.file_id where f.name='normal.tif' limit 1" | grep -qx '204x98' || fail "normal fax resolution not 204x98"
sqlite3 "$T/state/faxintake.db" "select xres||'x'||yres from pages p join files f on f.id=p.file_id where f.name='fine.tif' limit 1" | grep -qx '204x196' || fail "fine fax resolution not 204x196"
echo "ok"
