#!/usr/bin/env bash
# Issue 6, must show: an incomplete case, its notice's cover sheet faxed
# back with the missing document, the case becomes complete, and a
# receipt notice is written.  Also: the QR case id on the cover sheet is
# read back by zbar, and the letter names what is missing.
. "$(dirname "$0")/lib.sh"
READ_PAGES=yes write_config
SYNTH="$FI_BUILD/tools/faxsynth"

# The family's papers without the referral letter.
"$SYNTH" case --hospital keio --scenario referral_missing --seed 31 \
	--out "$T/c1" --fileno 100 >/dev/null
cp "$T/c1"/*.tif "$T/inbox/"
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d1.log" 2>&1 || { cat "$T/d1.log"; fail "first run"; }
case_id=$(F cases --json | python3 -c 'import json,sys; c=json.load(sys.stdin); assert len(c)==1, c; print(c[0]["id"])') \
	|| fail "one case expected"

# Staff check what the machine was unsure of, and dismiss those flags.
resolve_review "$case_id" >/dev/null
F show "$case_id" --json >"$T/c.json"
json_check 'd["status"] == "incomplete" and d["missing"] == ["referral_letter"]' <"$T/c.json" \
	|| fail "the case is not incomplete for the referral letter"
json_check '[l["kind"] for l in d["letters"]] == ["incomplete_notice"]' <"$T/c.json" \
	|| fail "no incomplete notice"
json_check '"診療情報提供書" in d["letters"][0]["text"] and "03-5363-3865" in d["letters"][0]["text"]' <"$T/c.json" \
	|| fail "the notice does not name the referral letter or the hospital FAX"
json_check '"拝啓" in d["letters"][0]["text"] and "敬具" in d["letters"][0]["text"] and "以上" in d["letters"][0]["text"]' <"$T/c.json" \
	|| fail "the notice is not in business-letter form"
notice=$(letter_of "$case_id" incomplete_notice tiff)
[ -f "$notice" ] || fail "no TIFF at $notice"
qr=$(zbarimg --quiet --raw "$notice" 2>/dev/null)
[ "$qr" = "FXI1|form=cover|v=1|case=$case_id|h=keio" ] || fail "cover sheet QR reads '$qr'"

# The referring clinic faxes the cover sheet back with a referral letter.
"$SYNTH" case --hospital keio --scenario complete --seed 32 --out "$T/c2" --fileno 200 >/dev/null
read -r file page < <(truth_page "$T/c2" referral_letter)
last=$(( $(tiff_pages "$notice") - 1 ))
tiffcp "$notice,$last" "$file,$page" "$T/reply.tif"
mv "$T/reply.tif" "$T/inbox/fax000300.tif"
"$FAXINTAKED" --config "$T/faxintake.conf" --once >"$T/d2.log" 2>&1 || { cat "$T/d2.log"; fail "second run"; }

# The QR put the reply on the same case, whatever the letter says.
F files --json | json_check "[f['cases'] for f in d if f['name'] == 'fax000300.tif'] == [['$case_id']]" \
	|| fail "the reply did not join $case_id"
resolve_review "$case_id" >/dev/null
F show "$case_id" --json >"$T/c.json"
json_check 'd["status"] == "complete" and d["missing"] == []' <"$T/c.json" \
	|| fail "the case did not become complete"
json_check '"receipt_notice" in [l["kind"] for l in d["letters"]]' <"$T/c.json" \
	|| fail "no receipt notice"
json_check 'all(k not in l["text"] for l in d["letters"] for k in ("傷病名", "診断名"))' <"$T/c.json" \
	|| fail "a letter carries clinical details"
echo ok
