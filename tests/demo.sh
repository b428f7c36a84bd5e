#!/usr/bin/env bash
# make demo — the whole loop on synthesized faxes, in build/demo:
# six applications over the five hospitals arrive by fax, faxintaked reads
# them once, staff merge what it could not attach with certainty and check
# what it was unsure of, the letters are written,
# a clinic faxes the notice's cover sheet back with the missing referral
# letter, and the case completes.
set -eu
: "${FI_BUILD:?}"
D="$FI_BUILD/demo"
SYNTH="$FI_BUILD/tools/faxsynth"
rm -rf "$D"
mkdir -p "$D/inbox" "$D/state" "$D/synth"
# One daemon state per hospital would be usual; the demo keeps one state
# dir and gives each hospital its own inbox.
cat >"$D/faxintake.conf" <<CONF
[daemon]
state_dir = $D/state
workers = 2
ready_seconds = 0
log_level = notice
CONF
for h in asahikawa tomakomai yokohama-cu keio tohoku; do
	mkdir -p "$D/inbox/$h"
	printf '\n[inbox %s]\npath = %s\nhospital = %s\n' "$h" "$D/inbox/$h" "$h" \
		>>"$D/faxintake.conf"
done
F() { "$FI_BUILD/faxintake" --config "$D/faxintake.conf" "$@"; }
FAXINTAKE_CMD=("$FI_BUILD/faxintake" --config "$D/faxintake.conf")
. "$(dirname "$0")/casefns.sh"

n=100
arrive() {	# hospital scenario seed [only-this-file]
	"$SYNTH" case --hospital "$1" --scenario "$2" --seed "$3" \
		--out "$D/synth/$1-$2" --fileno "$n" >/dev/null
	local files
	files=$(cd "$D/synth/$1-$2" && ls ${4:-*.tif *.pdf} 2>/dev/null | tr '\n' ' ')
	(cd "$D/synth/$1-$2" && cp $files "$D/inbox/$1/")
	printf '  %-12s %-20s %s\n' "$1" "$2" "$files"
	n=$((n + 10))
}
echo "== faxes arriving (synthesized, with ground truth in $D/synth)"
arrive keio complete 7
arrive tomakomai referral_missing 8
arrive tohoku family_no_consent 9
arrive yokohama-cu minor_with_proof 10
arrive asahikawa exclusion_topic 11
# the family's fax only: the clinic's letter comes back later, below
arrive keio follow_up 13 fax000150.tif
# Hostile input is quarantined with a reason; the rest goes on.
echo "not a fax" >"$D/inbox/keio/fax009998.tif"
: >"$D/inbox/keio/fax009999.tif"

echo
echo "== faxintaked --once (reading every page: this takes a minute)"
time "$FI_BUILD/faxintaked" --config "$D/faxintake.conf" --once
echo
F files
echo
echo "== the cases"
F cases

# A case faxintake could not attach with certainty names the case it may
# belong to; staff compare the two (faxintake show) and merge them: the
# merged case's files are read together, its rules run again.
echo
echo "== staff merge the cases flagged as maybe one patient's"
for c in $(F cases --json | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin) if c["status"] == "needs_review"]'); do
	into=$(F show "$c" --json | python3 -c '
import json,re,sys
for f in json.load(sys.stdin)["flags"]:
    m = re.search(r"same patient as case (\S+)", f["evidence"] or "")
    if f["id"] == "review:ambiguous_case" and not f["resolved"] and m:
        print(m.group(1)); break')
	if [ -n "$into" ]; then
		echo "$c -> $into"
		F merge "$c" "$into"
	fi
done

# Staff look at what the machine was unsure of (faxintake show CASE) and
# dismiss what they checked; the rules run again and letters are written.
echo
echo "== staff check the flagged fields and dismiss the review flags"
for c in $(F cases --json | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin) if c["status"] == "needs_review"]'); do
	resolve_review "$c"
done

# The keio clinic faxes the notice's cover sheet back with its letter.
keio=$(F cases --json | python3 -c '
import json,sys
for c in json.load(sys.stdin):
    if c["hospital"] == "keio" and c["status"] == "incomplete": print(c["id"]); break')
if [ -n "$keio" ]; then
	notice=$(letter_of "$keio" incomplete_notice tiff)
	read -r file page < <(truth_page "$D/synth/keio-follow_up" referral_letter)
	last=$(( $(tiff_pages "$notice") - 1 ))
	tiffcp "$notice,$last" "$file,$page" "$D/inbox/keio/fax000900.tif"
	echo
	echo "== case $keio: the clinic faxes the cover sheet back with the referral letter"
	"$FI_BUILD/faxintaked" --config "$D/faxintake.conf" --once
	F show "$keio" | sed -n '1,3p;/^missing/p;/^letter/p'
fi

echo
echo "== the cases now"
F cases
echo
echo "== the letters (PDF and fax-ready TIFF, CCITT G4 1728 px)"
for c in $(F cases --json | python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)]'); do
	F letters "$c" | tail -n +2
done
echo
echo "Look at a letter: pdftoppm -r 80 -png <pdf> /tmp/letter"
echo "State: $D/state   Config: $D/faxintake.conf (faxintake --config … show CASE)"
