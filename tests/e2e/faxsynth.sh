#!/usr/bin/env bash
# faxsynth: the fax corpus synthesizer is deterministic for a seed, its
# TIFFs carry the right compression, resolution and HylaFAX tags and page
# counts, its scans are 300 dpi gray PDFs, truth.json agrees with what was
# rendered, and the QR codes on rendered forms read back with zbarimg.
set -eu
: "${FI_BUILD:?FI_BUILD must name the build directory}"
FAXSYNTH="$FI_BUILD/tools/faxsynth"
[ -x "$FAXSYNTH" ] || { echo "FAIL: $FAXSYNTH not built" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/fi-faxsynth.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Deterministic: the same seed twice gives the same bytes, whether the
#    cases are made by two workers or by one.
"$FAXSYNTH" corpus --seed 4242 --cases 6 --jobs 2 --out "$T/a" >/dev/null
"$FAXSYNTH" corpus --seed 4242 --cases 6 --jobs 1 --out "$T/b" >/dev/null
diff -r "$T/a" "$T/b" >/dev/null || fail "corpus differs between runs"
"$FAXSYNTH" case --hospital keio --scenario batch_separators --seed 31 \
	--out "$T/c1"
"$FAXSYNTH" case --hospital keio --scenario batch_separators --seed 31 \
	--out "$T/c2"
diff -r "$T/c1" "$T/c2" >/dev/null || fail "batch case differs between runs"
"$FAXSYNTH" case --hospital tomakomai --scenario follow_up --seed 7 \
	--out "$T/f"
"$FAXSYNTH" case --hospital yokohama-cu --scenario foreign_referral \
	--seed 8 --out "$T/y"
"$FAXSYNTH" case --hospital keio --scenario batch_separators --seed 32 \
	--out "$T/c3"
cmp -s "$T/c1/truth.json" "$T/c3/truth.json" && fail "seed has no effect"
if "$FAXSYNTH" case --hospital keio --scenario nosuch --seed 1 \
	--out "$T/bad" 2>/dev/null; then fail "unknown scenario accepted"; fi

# 2. Tags, page counts and truth, checked file by file.
python3 - "$T/a" "$T/c1" "$T/f" "$T/y" <<'PY'
import json, os, re, struct, subprocess, sys

DOC_TYPES = {"application_form", "referral_letter", "consent_form",
    "relationship_proof", "lab_results", "imaging_report",
    "pathology_report", "cover_sheet", "other"}
NEED = {  # fields each document type must carry in the truth
    "application_form": {"patient_name", "patient_birth_date"},
    "referral_letter": {"patient_name", "referring_hospital", "diagnosis"},
    "consent_form": {"patient_name", "applicant_name"},
    "relationship_proof": {"patient_name", "patient_birth_date"},
    "lab_results": {"patient_name"},
    "imaging_report": {"patient_name", "diagnosis"},
    "pathology_report": {"patient_name", "diagnosis"},
    "cover_sheet": {"patient_name"},
}
REL = {"self", "spouse", "parent", "child", "sibling", "grandparent",
    "grandchild", "other_relative", "non_relative"}
errors = []

def err(msg):
    errors.append(msg)

def tiff_ifds(path):
    """Every IFD of a TIFF, parsed by hand: {tag: value(s)}."""
    b = open(path, "rb").read()
    e = {b"II": "<", b"MM": ">"}[b[:2]]
    assert struct.unpack(e + "H", b[2:4])[0] == 42, "not a TIFF"
    off = struct.unpack(e + "I", b[4:8])[0]
    sizes = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1}
    out = []
    while off:
        n = struct.unpack(e + "H", b[off:off + 2])[0]
        tags = {}
        for i in range(n):
            ent = b[off + 2 + 12 * i: off + 14 + 12 * i]
            tag, typ, cnt = struct.unpack(e + "HHI", ent[:8])
            size = sizes.get(typ, 1) * cnt
            data = ent[8:12] if size <= 4 else \
                b[struct.unpack(e + "I", ent[8:12])[0]:][:size]
            if typ == 2:
                v = data[:cnt].rstrip(b"\0").decode("utf-8", "replace")
            elif typ == 3:
                v = struct.unpack(e + "%dH" % cnt, data[:2 * cnt])
            elif typ == 4:
                v = struct.unpack(e + "%dI" % cnt, data[:4 * cnt])
            elif typ == 5:
                r = struct.unpack(e + "%dI" % (2 * cnt), data[:8 * cnt])
                v = tuple(r[2 * k] / r[2 * k + 1] for k in range(cnt))
            else:
                v = data
            tags[tag] = v
        out.append(tags)
        off = struct.unpack(e + "I", b[off + 2 + 12 * n: off + 6 + 12 * n])[0]
    return out

def check_value(fid, v, where):
    if fid == "patient_birth_date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", v):
        err("%s: %s not ISO: %s" % (where, fid, v))
    if fid.endswith(("_phone", "_fax")):
        d = v.replace("-", "")
        if not re.fullmatch(r"0\d{1,4}-\d{1,4}-\d{4}", v) or \
                len(d) not in (10, 11):
            err("%s: %s not a grouped phone: %s" % (where, fid, v))
    if fid in ("patient_name", "applicant_name") and v.count(" ") != 1:
        err("%s: %s not 'family given': %r" % (where, fid, v))
    if fid == "patient_sex" and v not in ("M", "F"):
        err("%s: sex %s" % (where, v))
    if fid == "applicant_relationship" and v not in REL:
        err("%s: relationship %s" % (where, v))
    if fid == "patient_age" and not v.isdigit():
        err("%s: age %s" % (where, v))

def check_case(d):
    t = json.load(open(os.path.join(d, "truth.json")))
    docs = {x["id"]: x for x in t["documents"]}
    for f in t["files"]:
        path = os.path.join(d, f["name"])
        if not os.path.exists(path):
            err("%s missing" % path)
            continue
        n = f["npages"]
        nums = [p["page"] for p in f["pages"]]
        if nums != list(range(1, n + 1)):
            err("%s: truth pages %s, npages %d" % (path, nums, n))
        for p in f["pages"]:
            if p.get("doc_type") not in DOC_TYPES:
                err("%s p%d: doc_type %r" % (path, p["page"], p.get("doc_type")))
            doc = docs.get(p["document"])
            if doc is None or doc["type"] != p["doc_type"] or \
                    p["page"] not in doc["pages"] or doc["file"] != f["name"]:
                err("%s p%d: page and document disagree" % (path, p["page"]))
        if f["format"] == "tiff":
            ifds = tiff_ifds(path)
            if len(ifds) != n:
                err("%s: %d TIFF pages, truth %d" % (path, len(ifds), n))
            want = {"g4": 4, "g3": 3, "g3_2d": 3}[f["compression"]]
            for i, tg in enumerate(ifds):
                w = "%s p%d" % (path, i + 1)
                if tg.get(259, (0,))[0] != want:
                    err("%s: compression %s, want %d" % (w, tg.get(259), want))
                if f["compression"] != "g4":
                    opts = tg.get(292, (0,))[0]
                    if bool(opts & 1) != (f["compression"] == "g3_2d"):
                        err("%s: T4Options %d" % (w, opts))
                if tg.get(256, (0,))[0] != 1728:
                    err("%s: width %s" % (w, tg.get(256)))
                if tg.get(258, (0,))[0] != 1:
                    err("%s: not 1 bit" % w)
                if abs(tg.get(282, (0,))[0] - 204) > 0.5 or \
                        abs(tg.get(283, (0,))[0] - f["ydpi"]) > 0.5 or \
                        tg.get(296, (0,))[0] != 2:
                    err("%s: resolution %s x %s unit %s" % (w, tg.get(282),
                        tg.get(283), tg.get(296)))
                h = tg.get(257, (0,))[0]
                if abs(h - 297 / 25.4 * f["ydpi"]) > 2:
                    err("%s: height %d at %s lpi" % (w, h, f["ydpi"]))
                if tg.get(297) != (i, n):
                    err("%s: PageNumber %s" % (w, tg.get(297)))
                if tg.get(270) != f["sender"]["tsi"]:
                    err("%s: ImageDescription %r, TSI %r" % (w, tg.get(270),
                        f["sender"]["tsi"]))
                for tag in (34908, 34910, 34911):   # HylaFAX: params, time, DCS
                    if tag not in tg:
                        err("%s: HylaFAX tag %d missing" % (w, tag))
        else:
            info = subprocess.run(["pdfinfo", path], capture_output=True,
                text=True).stdout
            m = re.search(r"^Pages:\s+(\d+)", info, re.M)
            if not m or int(m.group(1)) != n:
                err("%s: PDF pages %s, truth %d" % (path, m and m.group(1), n))
            imgs = subprocess.run(["pdfimages", "-list", path],
                capture_output=True, text=True).stdout.splitlines()[2:]
            if len(imgs) != n:
                err("%s: %d images for %d pages" % (path, len(imgs), n))
            for line in imgs:
                c = line.split()
                if c[5] != "gray" or c[12] != "300" or c[13] != "300":
                    err("%s: image not 300 dpi gray: %s" % (path, line))
    for x in t["documents"]:
        where = "%s %s %s" % (d, x["id"], x["type"])
        have = set(x["fields"])
        if x["type"] in NEED and not NEED[x["type"]] <= have:
            err("%s: fields %s missing" % (where, NEED[x["type"]] - have))
        for fid, fv in x["fields"].items():
            if set(fv) != {"value", "raw"} or not fv["value"] or not fv["raw"]:
                err("%s: field %s incomplete" % (where, fid))
            elif x["language"] == "ja" or fid not in ("patient_name",):
                check_value(fid, fv["value"], where)
        if x["type"] == "referral_letter" and (x["dedicated_form"] is None
                or x["language"] not in ("ja", "en")):
            err("%s: referral without dedicated_form/language" % where)
    for c in t["cases"]:
        e = c.get("expected") or {}
        if e.get("status") not in ("complete", "incomplete", "needs_review"):
            err("%s: case %d expected status %r" % (d, c["index"], e.get("status")))
        for k in ("missing", "due_later", "flags"):
            if not isinstance(e.get(k), list):
                err("%s: expected.%s missing" % (d, k))
        if "received" not in c["facts"] or not c["facts"]["documents"]:
            err("%s: facts incomplete" % d)
        if len(t["files"]) > 1 and len(c["stages"]) != len(t["files"]):
            err("%s: %d stages for %d files" % (d, len(c["stages"]),
                len(t["files"])))
    return t

cases = 0
for top in sys.argv[1:]:
    if os.path.exists(os.path.join(top, "index.json")):
        ix = json.load(open(os.path.join(top, "index.json")))
        if ix["totals"]["cases"] != len(ix["cases"]):
            err("index: totals disagree")
        total = 0
        for c in ix["cases"]:
            t = check_case(os.path.join(top, c["dir"]))
            total += sum(f["npages"] for f in t["files"])
            cases += 1
        if total != ix["totals"]["pages"]:
            err("index: %d pages, truth %d" % (ix["totals"]["pages"], total))
    else:
        check_case(top)
        cases += 1
for e in errors[:40]:
    print("FAIL:", e, file=sys.stderr)
print("checked %d cases, %d problems" % (cases, len(errors)))
sys.exit(1 if errors else 0)
PY

# 3. The mailroom batch holds three applications; separators where asked.
python3 - "$T/c1/truth.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
assert len(t["cases"]) == 3, "batch: %d applications" % len(t["cases"])
seps = [p for f in t["files"] for p in f["pages"] if p.get("separator")]
assert len(seps) == 3 and all(p["doc_type"] == "other" for p in seps), seps
assert len(t["files"]) == 1 and t["files"][0]["format"] == "pdf"
PY

# 4. QR codes read back: a form in a fax TIFF, and the separator sheet and
#    a form in the 300 dpi scan.
app=$(python3 - "$T/f/truth.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
for f in t["files"]:
    if any(p["doc_type"] == "application_form" for p in f["pages"]):
        print(f["name"]); break
PY
)
[ -n "$app" ] || fail "no application form in the follow-up case"
zbarimg -q "$T/f/$app" 2>/dev/null | grep -q 'FXI1|form=application|v=1|h=tomakomai|p=1' ||
	fail "application QR not read back from $app"
pdf=$(ls "$T/c1"/*.pdf)
pdftoppm -r 150 -f 1 -l 2 -png "$pdf" "$T/c1/pg"
zbarimg -q "$T/c1"/pg-*1.png 2>/dev/null | grep -q 'FXI1|form=separator|v=1' ||
	fail "separator QR not read back"
zbarimg -q "$T/c1"/pg-*2.png 2>/dev/null | grep -q 'FXI1|form=application|v=1|h=keio' ||
	fail "application QR not read back from the scan"
echo "faxsynth: ok"
