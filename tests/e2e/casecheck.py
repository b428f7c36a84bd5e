#!/usr/bin/env python3
"""Compare the cases faxintaked made of faxsynth case directories with
their truth.json, letters included.

    casecheck.py [--strict] CONFIG FAXINTAKE TEMPLATES CASEDIR...

Per truth case: the one case its files went to; its status, missing
documents and (unresolved) flag ids against the truth's expected outcome;
its letters: an incomplete case has an incomplete notice that names every
missing document and whose cover sheet QR (read with zbarimg) carries the
case id, a complete case a receipt notice, a case that needs review
none; every letter names the hospital's FAX (where it has one) and the
case id.  One line per case; exit 1 on any difference with --strict."""
import json, re, subprocess, sys

# What a letter calls each document (any one of the words will do).
DOC_WORDS = {
    "application_form": ["申込書"],
    "referral_letter": ["診療情報提供書", "紹介状"],
    "consent_form": ["同意書"],
    "relationship_proof": ["続柄", "保険証", "確認できる"],
    "lab_results": ["検査結果"],
    "imaging_report": ["画像"],
    "pathology_report": ["病理"],
}

def run(faxintake, conf, *args):
    out = subprocess.run([faxintake, "--config", conf, *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)

def profile_fax(templates, hospital):
    for line in open("%s/hospitals/%s/profile.ini" % (templates, hospital),
                     encoding="utf-8"):
        m = re.match(r"\s*fax\s*=\s*(\S+)", line)
        if m:
            return m.group(1)
    return None

def qr_of(tiff):
    r = subprocess.run(["zbarimg", "--quiet", "--raw", tiff],
                       capture_output=True, text=True)
    return r.stdout.strip()

def letters_problem(c, hospital_fax):
    kinds = [l["kind"] for l in c["letters"]]
    if c["status"] == "incomplete":
        ls = [l for l in c["letters"] if l["kind"] == "incomplete_notice"]
        if not ls:
            return "no incomplete notice"
        text = ls[-1]["text"]
        for d in c["missing"]:
            if not any(w in text for w in DOC_WORDS.get(d, [d])):
                return "the notice does not name " + d
        qr = qr_of(ls[-1]["tiff"])
        if qr != "FXI1|form=cover|v=1|case=%s|h=%s" % (c["id"], c["hospital"]):
            return "cover sheet QR reads %r" % qr
    elif c["status"] == "complete":
        if "receipt_notice" not in kinds:
            return "no receipt notice"
    elif c["status"] == "needs_review" and kinds:
        return "letters for a case that needs review: %s" % kinds
    for l in c["letters"]:
        if hospital_fax and hospital_fax not in l["text"]:
            return "%s lacks the hospital FAX %s" % (l["kind"], hospital_fax)
        if c["id"] not in l["text"]:
            return "%s lacks the case id" % l["kind"]
    return None

def main():
    strict = "--strict" in sys.argv
    argv = [a for a in sys.argv[1:] if a != "--strict"]
    conf, faxintake, templates, dirs = argv[0], argv[1], argv[2], argv[3:]
    by_name = {f["name"]: f for f in run(faxintake, conf, "files", "--json")}
    bad = 0
    for d in dirs:
        truth = json.load(open(d + "/truth.json"))
        fax = profile_fax(templates, truth["hospital"])
        for tc in truth["cases"]:
            got = set()
            for f in truth["files"]:
                if any(p.get("case") == tc["index"] for p in f["pages"]):
                    got.update(by_name.get(f["name"], {}).get("cases", []))
            exp = tc["expected"]
            line = "%s %s/%d: want %s missing=%s flags=%s" % (
                truth["hospital"], truth["scenario"], tc["index"],
                exp["status"], exp["missing"], [x["id"] for x in exp["flags"]])
            if len(got) != 1:
                print(line, "-> GOT %d cases %s" % (len(got), sorted(got)))
                bad += 1
                continue
            c = run(faxintake, conf, "show", got.pop(), "--json")
            flags = sorted(set(x["id"] for x in c["flags"] if not x["resolved"]))
            want_flags = sorted(set(x["id"] for x in exp["flags"]))
            problem = None
            if c["status"] != exp["status"]:
                problem = "status"
            elif sorted(c["missing"]) != sorted(exp["missing"]):
                problem = "missing"
            elif flags != want_flags:
                problem = "flags"
            else:
                problem = letters_problem(c, fax)
            print(line, "-> %s %s missing=%s flags=%s letters=%s%s" % (
                "ok  " if problem is None else "DIFF", c["status"],
                c["missing"], flags, [l["kind"] for l in c["letters"]],
                "" if problem is None else "  (" + problem + ")"))
            bad += problem is not None
    return 1 if bad and strict else 0

sys.exit(main())
