#!/usr/bin/env bash
# Issue 6, must show: end-to-end on the synthesizer's cases, per case: the
# status, the missing documents, the flags, and the letter kinds and key
# content (the missing items named in the notice, the hospital's FAX in
# the sender block, the QR case id on the cover sheet read back by zbar).
# Six fixed cases over the five hospitals and every settled outcome; the
# reader's accuracy over the whole corpus is `make bench`'s to measure.
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
sed -i '/^\[inbox fax\]/,$d' "$T/faxintake.conf"
n=100
dirs=()
for hs in asahikawa:referral_missing keio:referral_missing \
	tohoku:referral_missing tomakomai:minor_without_proof \
	tomakomai:referral_missing yokohama-cu:referral_missing; do
	h=${hs%%:*} sc=${hs#*:}
	mkdir -p "$T/inbox-$h"
	grep -q "^\[inbox $h\]" "$T/faxintake.conf" ||
		printf '\n[inbox %s]\npath = %s\nhospital = %s\n' "$h" \
		    "$T/inbox-$h" "$h" >>"$T/faxintake.conf"
	"$FI_BUILD/tools/faxsynth" case --hospital "$h" --scenario "$sc" \
		--seed 3 --out "$T/synth/$h-$sc" --fileno $n >/dev/null
	find "$T/synth/$h-$sc" -type f ! -name truth.json -exec cp {} "$T/inbox-$h/" \;
	dirs+=("$T/synth/$h-$sc")
	n=$((n + 10))
done
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d.log" 2>&1 \
	|| { cat "$T/d.log"; fail "faxintaked --once"; }
# Staff check the fields the machine was unsure of (review:* flags);
# exclusion flags stay: they are the hospital's rules.
for c in $("$FAXINTAKE" --config "$T/faxintake.conf" cases --json |
	python3 -c 'import json,sys; [print(c["id"]) for c in json.load(sys.stdin)]'); do
	resolve_review "$c" >/dev/null
done
python3 "$(dirname "$0")/casecheck.py" --strict "$T/faxintake.conf" \
	"$FAXINTAKE" "$(dirname "$0")/../../templates" "${dirs[@]}" \
	|| fail "a case differs from its truth"
echo ok
