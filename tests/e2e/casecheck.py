#!/usr/bin/env python3
"""Compare the cases faxintaked made of faxsynth case directories with
their truth.json.  Usage: casecheck.py CONFIG FAXINTAKE CASEDIR...
Prints one line per truth case and exits 1 when any differs in status,
missing documents or flag ids (with --strict), else 0.  Used by the e2e
tests and by hand."""
import json, subprocess, sys

def run(faxintake, conf, *args):
    out = subprocess.run([faxintake, "--config", conf, *args], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)

def main():
    strict = "--strict" in sys.argv
    argv = [a for a in sys.argv[1:] if a != "--strict"]
    conf, faxintake, dirs = argv[0], argv[1], argv[2:]
    files = run(faxintake, conf, "files", "--json")
    by_name = {f["name"]: f for f in files}
    bad = 0
    for d in dirs:
        truth = json.load(open(d + "/truth.json"))
        for tc in truth["cases"]:
            # The produced cases of this truth case: those of its pages' files.
            got = set()
            for f in truth["files"]:
                if any(p.get("case") == tc["index"] for p in f["pages"]):
                    got.update(by_name.get(f["name"], {}).get("cases", []))
            exp = tc["expected"]
            line = "%s/%d %s: want %s missing=%s flags=%s" % (
                truth["hospital"], tc["index"], truth["scenario"],
                exp["status"], exp["missing"], [x["id"] for x in exp["flags"]])
            if len(got) != 1:
                print(line, "-> GOT %d cases %s" % (len(got), sorted(got)))
                bad += 1
                continue
            c = run(faxintake, conf, "show", got.pop(), "--json")
            flags = sorted(x["id"] for x in c["flags"] if not x.get("resolved"))
            same = (c["status"] == exp["status"] and
                    sorted(c["missing"]) == sorted(exp["missing"]) and
                    flags == sorted(x["id"] for x in exp["flags"]))
            print(line, "-> %s %s missing=%s flags=%s letters=%s" % (
                "OK " if same else "DIFF", c["status"], c["missing"], flags,
                [l["kind"] for l in c["letters"]]))
            bad += not same
    return 1 if bad and strict else 0

sys.exit(main())
