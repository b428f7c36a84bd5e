#!/usr/bin/env bash
# Issue 5, must show: synthesized faxes at fine (204x196) and normal
# (204x98) resolution read through the real daemon; through `faxintake
# show --json`: every page's doc_type, and the key fields.  Key fields are
# held to the hard gate: a value at or above the review threshold is the
# true one (nothing confidently wrong); a doubtful one says so; three of
# the five are right on each fax.  How many are read right over the whole
# corpus is `make bench`'s figure.
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
sed -i '/^\[inbox fax\]/,$d' "$T/faxintake.conf"
n=100
dirs=()
# tohoku referral_missing: one fine fax, 4 pages; keio referral_missing:
# one normal fax, 3 pages.
for hs in tohoku:referral_missing:fax_fine keio:referral_missing:fax_normal; do
	IFS=: read -r h sc medium <<<"$hs"
	mkdir -p "$T/inbox-$h"
	printf '\n[inbox %s]\npath = %s\nhospital = %s\n' "$h" "$T/inbox-$h" "$h" \
		>>"$T/faxintake.conf"
	"$FI_BUILD/tools/faxsynth" case --hospital "$h" --scenario "$sc" \
		--seed 3 --out "$T/synth/$h" --fileno $n >/dev/null
	python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); assert [f["medium"] for f in t["files"]] == [sys.argv[2]], t["files"]' \
		"$T/synth/$h/truth.json" "$medium" || fail "$h: not a single $medium fax"
	cp "$T/synth/$h"/*.tif "$T/inbox-$h/"
	dirs+=("$T/synth/$h")
	n=$((n + 10))
done
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d.log" 2>&1 \
	|| { cat "$T/d.log"; fail "faxintaked --once"; }
python3 - "$FAXINTAKE" "$T/faxintake.conf" "${dirs[@]}" <<'PY' || fail "reading"
import json, subprocess, sys
faxintake, conf, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
def cli(*a):
    return json.loads(subprocess.run([faxintake, "--config", conf, *a],
        check=True, capture_output=True, text=True).stdout)
files = {f["name"]: f for f in cli("files", "--json")}
KEY = ("patient_name", "patient_birth_date", "referring_hospital",
       "referring_fax", "applicant_relationship")
bad = 0
for d in dirs:
    t = json.load(open(d + "/truth.json"))
    tf = t["files"][0]
    f = files[tf["name"]]
    assert len(f["cases"]) == 1, f
    c = cli("show", f["cases"][0], "--json")
    # The doc_type of every page, as the case's documents say.
    got = {}
    for doc in c["documents"]:
        if doc["file"] == f["sha256"]:
            for p in doc["pages"]:
                got[p] = doc["type"]
    for p in tf["pages"]:
        ok = got.get(p["page"]) == p["doc_type"]
        print("%s p%d: %s -> %s %s" % (tf["medium"], p["page"], p["doc_type"],
              got.get(p["page"]), "ok" if ok else "WRONG"))
        bad += not ok
    truth = t["cases"][0]["truth"]
    right = exact = 0
    for k in KEY:
        if k not in truth:
            continue
        v = c["fields"].get(k)
        if v is None:
            print("%s %s: not read (want %s)" % (tf["medium"], k, truth[k]))
            continue
        correct = v["value"] == truth[k]
        sure = v["confidence"] >= 0.80
        print("%s %s: %r conf %.2f -> %s" % (tf["medium"], k, v["value"],
              v["confidence"], "right" if correct else
              ("CONFIDENTLY WRONG" if sure else "wrong, and says so")))
        bad += sure and not correct
        right += sure and correct
        exact += correct
    # Some key field must come through right and sure on each fax.
    if right == 0:
        print("%s: no key field read right with confidence" % tf["medium"])
        bad += 1
    # Most key fields right, sure or not (on these two faxes 3 of 5 and
    # 4 of 5 since the reading work of 2026-12; `make bench` has the
    # rates over the corpus): a guard against the reading going back.
    if exact < 3:
        print("%s: %d key fields right, want 3 or more" % (tf["medium"],
              exact))
        bad += 1
sys.exit(1 if bad else 0)
PY
echo ok
