# Shell helpers shared by make demo and the end-to-end tests (sourced).
# FAXINTAKE_CMD: the faxintake command with its --config, as an array.

# resolve_review CASE: what a member of staff does after checking the
# fields the machine was unsure of: dismiss the case's open review flags.
resolve_review() {
	"${FAXINTAKE_CMD[@]}" show "$1" --json | python3 -c '
import json,sys
for f in json.load(sys.stdin)["flags"]:
    if not f["resolved"] and f["id"].startswith("review:"): print(f["id"])' |
	sort -u | while read -r flag; do
		"${FAXINTAKE_CMD[@]}" resolve "$1" "$flag" \
		    --note "checked against the faxed page" | tail -1
	done
}

# truth_page DIR DOC_TYPE: "FILE INDEX" of the first page of that type in
# a faxsynth case (INDEX from 0, as tiffcp counts).
truth_page() {
	python3 -c '
import json,sys
t = json.load(open(sys.argv[1] + "/truth.json"))
for f in t["files"]:
    for p in f["pages"]:
        if p["doc_type"] == sys.argv[2]:
            print(sys.argv[1] + "/" + f["name"], p["page"] - 1); sys.exit(0)
sys.exit(1)' "$1" "$2"
}

# letter_of CASE KIND FIELD: a field (tiff, pdf, id, status...) of the
# case's latest letter of that kind.
letter_of() {
	"${FAXINTAKE_CMD[@]}" show "$1" --json | python3 -c '
import json,sys
ls = [l for l in json.load(sys.stdin)["letters"] if l["kind"] == sys.argv[1]]
print(ls[-1][sys.argv[2]] if ls else "")' "$2" "$3"
}

# tiff_pages FILE: how many pages a TIFF holds.
tiff_pages() {
	tiffinfo "$1" 2>/dev/null | grep -c 'TIFF Directory'
}
