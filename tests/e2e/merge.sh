#!/usr/bin/env bash
# Staff join two cases (faxintake merge) and move a document out again
# (faxintake move): the documents and letters go with them, the emptied
# case is gone, and a wrong merge is refused.
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
SYNTH="$FI_BUILD/tools/faxsynth"

# Two patients' applications, one fax each: two cases.
"$SYNTH" case --hospital keio --scenario referral_missing --seed 41 \
	--out "$T/c1" --fileno 100 >/dev/null
"$SYNTH" case --hospital keio --scenario referral_missing --seed 42 \
	--out "$T/c2" --fileno 200 >/dev/null
cp "$T/c1"/*.tif "$T/c2"/*.tif "$T/inbox/"
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d.log" 2>&1 \
	|| { cat "$T/d.log"; fail "faxintaked --once"; }
F cases --json >"$T/cases.json"
json_check 'len(d) == 2' <"$T/cases.json" || fail "two cases expected"
read -r a b < <(python3 -c 'import json,sys; c=json.load(sys.stdin); print(c[0]["id"], c[1]["id"])' <"$T/cases.json")
# Staff check the flagged fields: each case gets its notice.
resolve_review "$a" >/dev/null
resolve_review "$b" >/dev/null
count() {	# count CASE documents|letters
	F show "$1" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)[sys.argv[1]]))' "$2"
}
na=$(count "$a" documents) nb=$(count "$b" documents)
la=$(count "$a" letters) lb=$(count "$b" letters)
[ "$na" -gt 0 ] && [ "$nb" -gt 0 ] || fail "cases without documents ($na, $nb)"
[ "$la" -gt 0 ] && [ "$lb" -gt 0 ] || fail "cases without letters ($la, $lb)"

# Merging a case into itself or into no case is refused.
F merge "$a" "$a" >/dev/null 2>&1 && fail "a case merged into itself"
F merge "$a" 20991231-0001 >/dev/null 2>&1 && fail "merged into no case"

F merge "$a" "$b" >"$T/m.out" 2>&1 || { cat "$T/m.out"; fail "merge"; }
F cases --json | json_check 'len(d) == 1 and d[0]["id"] == "'"$b"'"' \
	|| fail "the merged case is still listed"
F show "$a" >/dev/null 2>&1 && fail "the merged case can still be shown"
F show "$b" --json >"$T/b.json"
json_check 'len(d["documents"]) == '"$((na + nb))" <"$T/b.json" \
	|| fail "the documents did not all move"
json_check 'len(d["letters"]) == '"$((la + lb))" <"$T/b.json" \
	|| fail "the letters did not move"

# A document moved back out to a new case takes its place there.
c=$(F new-case --hospital keio)
[ -n "$c" ] || fail "new-case printed no id"
doc=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["id"])' <"$T/b.json")
F move "$doc" "$c" >/dev/null || fail "move"
F show "$c" --json | json_check '[x["id"] for x in d["documents"]] == ["'"$doc"'"]' \
	|| fail "the document is not in the new case"
F show "$b" --json | json_check 'len(d["documents"]) == '"$((na + nb - 1))" \
	|| fail "the document is still in the merged case"
echo ok
