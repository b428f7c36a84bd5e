#!/usr/bin/env bash
# Issue 6, must show: a letter whose number was misread (one digit off the
# sender's number) is held as pending_approval, never sent; after
# `faxintake release` it is sent through a fake outbound command that
# records its argv.  Also: a number that is not a phone number is never
# dialled.
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
cat >"$T/fakesend" <<SH
#!/bin/sh
# The outbound fax command for the test: records its argv, one per line.
for a in "\$@"; do printf '%s\n' "\$a"; done >>"$T/sent.log"
echo --- >>"$T/sent.log"
SH
chmod +x "$T/fakesend"
cat >>"$T/faxintake.conf" <<CONF

[outbound]
command = $T/fakesend -n -d {fax} {file}
auto_send = yes
CONF

"$FI_BUILD/tools/faxsynth" case --hospital keio --scenario referral_missing \
	--seed 41 --out "$T/c1" --fileno 100 >/dev/null
# The fax arrives with its sender's number one digit off what the family
# wrote on the form (the TSI as HylaFAX recorded it, changed in place).
python3 - "$T/c1" <<'PY'
import json, sys, glob
d = sys.argv[1]
t = json.load(open(d + "/truth.json"))
f = t["files"][0]
tsi = f["sender"]["tsi"].encode()
off = tsi[:-1] + (b"0" if tsi[-1:] != b"0" else b"1")
path = d + "/" + f["name"]
data = open(path, "rb").read()
assert data.count(tsi) >= 1, "TSI not in the TIFF"
open(path, "wb").write(data.replace(tsi, off))
print(off.decode())
PY
cp "$T/c1"/*.tif "$T/inbox/"
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d1.log" 2>&1 || { cat "$T/d1.log"; fail "first run"; }
case_id=$(F cases --json | python3 -c 'import json,sys; c=json.load(sys.stdin); assert len(c)==1, c; print(c[0]["id"])') \
	|| fail "one case expected"
resolve_review "$case_id" >/dev/null
F show "$case_id" --json >"$T/c.json"
json_check 'len(d["letters"]) == 1 and d["letters"][0]["channel"] == "fax"' <"$T/c.json" \
	|| fail "no fax letter written"
json_check 'd["letters"][0]["status"] == "pending_approval"' <"$T/c.json" \
	|| fail "a letter to a doubtful number was not held"
letter=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["letters"][0]["id"])' "$T/c.json")

# Another run: still held, nothing sent.
"$FAXINTAKED" --config "$T/faxintake.conf" --once >>"$T/d1.log" 2>&1 || fail "second run"
[ ! -e "$T/sent.log" ] || fail "sent without a release: $(cat "$T/sent.log")"

# A release with a number that is not one is refused.
rc=0; F release "$letter" --fax "03-1234" 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "a bad number was accepted ($rc)"

# A person checks the number and releases the letter; the running daemon
# notices (state_dir/wakeup) and sends it at once.
start_daemon
F release "$letter" >/dev/null || fail "release"
wait_for 15 '[ -f "$T/sent.log" ] && grep -q -- --- "$T/sent.log"' \
	|| { cat "$T/daemon.log"; fail "not sent after the release"; }
wait_for 10 "F show '$case_id' --json | grep -q '\"status\": *\"sent\"'" || true
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID" || fail "daemon exit status"
DAEMON_PID=
F show "$case_id" --json >"$T/c.json"
json_check 'd["letters"][0]["status"] == "sent" and d["letters"][0]["attempts"] == 1' <"$T/c.json" \
	|| fail "letter not recorded as sent"
fax=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["letters"][0]["to_fax"].replace("-",""))' "$T/c.json")
tiff=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["letters"][0]["tiff"])' "$T/c.json")
printf -- '-n\n-d\n%s\n%s\n---\n' "$fax" "$tiff" | cmp -s - "$T/sent.log" \
	|| { cat "$T/sent.log"; fail "argv of the outbound command"; }
# The audit log has who released it.
sqlite3 "$T/state/faxintake.db" "select actor from events where action='release'" | grep -qx "$(id -un)" \
	|| fail "release not audited"
echo ok
