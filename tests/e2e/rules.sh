#!/usr/bin/env bash
# rules.sh — `faxintake rules` and `faxintake profile check` end to end:
# the real binary, the shipped keio profile, facts files from
# tests/data/facts/, the JSON shape of DESIGN.md, and a broken profile
# refused with exit 2 and a FILE:LINE message.
set -eu
: "${FI_BUILD:?FI_BUILD must name the build directory}"
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FI="$FI_BUILD/faxintake"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# No site configuration: the checkout's templates are used.
export FAXINTAKE_CONFIG="$T/none.conf"

fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$FI" ] || fail "$FI not built"

# 1. DESIGN.md's example facts: child with consent, online 精神・神経科.
"$FI" rules --hospital keio "$SRC/tests/data/facts/keio-family-online.json" \
    --json >"$T/out1.json" || fail "rules exited $? on keio-family-online"
python3 - "$T/out1.json" <<'PY' || fail "keio-family-online: wrong result"
import json, sys
r = json.load(open(sys.argv[1]))
assert set(r) == {"status", "missing", "due_later", "recommended", "flags",
                  "fee"}, sorted(r)
assert r["status"] == "complete", r["status"]
assert r["missing"] == [], r["missing"]
assert r["due_later"] == [], r["due_later"]
assert r["flags"] == [], r["flags"]
f = r["fee"]
assert set(f) == {"yen", "tax_included", "basis", "steps"}, sorted(f)
assert f["yen"] == 33000 and f["tax_included"] is True, f
assert any("66,000" in s for s in f["steps"]), f["steps"]
assert any("5,500" in s for s in f["steps"]), f["steps"]
PY

# 2. Spouse without consent, English referral letter, lawsuit in topic.
"$FI" rules --hospital keio "$SRC/tests/data/facts/keio-incomplete-flagged.json" \
    --json >"$T/out2.json" || fail "rules exited $? on keio-incomplete-flagged"
python3 - "$T/out2.json" <<'PY' || fail "keio-incomplete-flagged: wrong result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == "needs_review", r["status"]
assert r["missing"] == ["consent_form"], r["missing"]
ids = [f["id"] for f in r["flags"]]
assert "exclusion:foreign_language" in ids, ids
assert "exclusion:litigation" in ids, ids
for f in r["flags"]:
    assert set(f) == {"id", "rule", "evidence"}, f
    assert f["rule"] and f["evidence"], f
lit = [f for f in r["flags"] if f["id"] == "exclusion:litigation"][0]
assert lit["evidence"] == "訴訟", lit
assert r["fee"]["yen"] == 22000, r["fee"]
PY

# 3. A stricter threshold makes the 0.9 topic undecidable.
"$FI" rules --hospital keio "$SRC/tests/data/facts/keio-incomplete-flagged.json" \
    --threshold 0.95 --json >"$T/out3.json" || fail "rules --threshold exited $?"
python3 - "$T/out3.json" <<'PY' || fail "--threshold 0.95: wrong result"
import json, sys
r = json.load(open(sys.argv[1]))
low = [f["evidence"] for f in r["flags"] if f["id"] == "review:low_confidence"]
assert "consultation_topic" in low, r["flags"]
assert "applicant_relationship" in low, r["flags"]
assert not [f for f in r["flags"] if f["id"] == "exclusion:litigation"], r["flags"]
PY

# 4. Readable text without --json.
"$FI" rules --hospital keio "$SRC/tests/data/facts/keio-incomplete-flagged.json" \
    >"$T/out4.txt" || fail "text output exited $?"
grep -q "^status: needs_review" "$T/out4.txt" || fail "text: no status line"
grep -q "consent_form" "$T/out4.txt" || fail "text: consent_form not named"

# 5. Usage errors exit 2; a bad facts file exits 1.
set +e
"$FI" rules --hospital keio >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "missing FACTS: exit $rc, want 2"
"$FI" rules --hospital no-such-hospital "$SRC/tests/data/facts/keio-family-online.json" \
    >/dev/null 2>"$T/err5"; rc=$?
[ "$rc" = 2 ] || fail "unknown hospital: exit $rc, want 2"
"$FI" rules --hospital keio "$SRC/tests/data/facts/keio-family-online.json" \
    --threshold 2 >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] || fail "--threshold 2: exit $rc, want 2"
printf '{"received": "yesterday"}' >"$T/bad.json"
"$FI" rules --hospital keio "$T/bad.json" >/dev/null 2>"$T/err6"; rc=$?
[ "$rc" = 1 ] || fail "bad facts: exit $rc, want 1"
grep -q "received" "$T/err6" || fail "bad facts: message does not say what: $(cat "$T/err6")"
set -e

# 6. profile check: every shipped profile is OK.
for h in asahikawa tomakomai yokohama-cu keio tohoku; do
	out=$("$FI" profile check "$SRC/templates/hospitals/$h") ||
	    fail "profile check $h exited $?"
	[ "$out" = "$SRC/templates/hospitals/$h: OK" ] || fail "profile check $h: $out"
done

# 7. A broken profile: exit 2 and every message names file:line.
set +e
"$FI" profile check "$SRC/tests/data/profiles-bad/many-errors" >"$T/out7" 2>"$T/err7"
rc=$?
set -e
[ "$rc" = 2 ] || fail "bad profile: exit $rc, want 2"
grep -q "profiles-bad/many-errors/profile.ini:16: when: unknown document type xray" "$T/err7" ||
    fail "bad profile: no file:line message: $(cat "$T/err7")"
grep -q "profile.ini:23: lead_days" "$T/err7" || fail "bad profile: not every error reported"
[ "$(wc -l <"$T/err7")" = 3 ] || fail "bad profile: want 3 messages: $(cat "$T/err7")"
[ ! -s "$T/out7" ] || fail "bad profile: printed OK"

set +e
"$FI" profile check "$SRC/tests/data/profiles-bad/unknown-department" 2>"$T/err8"
rc=$?
set -e
[ "$rc" = 2 ] || fail "unknown department: exit $rc, want 2"
grep -q "profile.ini:16: .*unknown department '循環器内科'" "$T/err8" ||
    fail "unknown department: $(cat "$T/err8")"

echo "rules.sh: all passed"
