#!/usr/bin/env bash
# make demo: sample arrivals in a fresh state dir under build/demo, one
# run of `faxintaked --once`, then what staff see.  Grows with each stage.
set -eu
: "${FI_BUILD:?}"
D="$(cd "$FI_BUILD/.." && pwd)/$(basename "$FI_BUILD")/demo"
[ "$(basename "$FI_BUILD")" = san ] && D="$FI_BUILD/demo"
rm -rf "$D"
mkdir -p "$D/inbox" "$D/state" "$D/forms"
cat >"$D/faxintake.conf" <<CONF
[daemon]
state_dir = $D/state
workers = 2
ready_seconds = 0

[inbox fax]
path = $D/inbox
hospital = keio
CONF
M="$FI_BUILD/tools/mkfixture"
echo "== sample arrivals in $D/inbox"
"$M" hylafax "$D/inbox/fax000101.tif" 3 --tsi "03 3353 1211"
"$M" tiff-g3-normal "$D/inbox/fax000102.tif" 2
"$M" pdf "$D/inbox/scan-0001.pdf" 2
cp "$D/inbox/fax000101.tif" "$D/inbox/fax000103.tif"	# the same fax again
"$M" tiff-truncated "$D/inbox/fax000104.tif"		# a dropped call
echo "not a fax" >"$D/inbox/fax000105.tif"
ls -l "$D/inbox"
echo
echo "== faxintaked --once"
"$FI_BUILD/faxintaked" --config "$D/faxintake.conf" --once
echo
echo "== faxintake files"
"$FI_BUILD/faxintake" --config "$D/faxintake.conf" files
echo
echo "== blank forms for the five hospitals"
for h in asahikawa tomakomai yokohama-cu keio tohoku; do
	for f in application consent; do
		"$FI_BUILD/faxintake" --config "$D/faxintake.conf" form --hospital "$h" \
			--form "$f" --out "$D/forms/$h-$f.pdf"
	done
done
"$FI_BUILD/faxintake" --config "$D/faxintake.conf" form --hospital keio \
	--form separator --out "$D/forms/separator.pdf"
ls "$D/forms"/*.pdf
echo
echo "== what the rules say of a sample application (keio)"
"$FI_BUILD/faxintake" --config "$D/faxintake.conf" rules --hospital keio \
	"$(dirname "$0")/data/facts/keio-incomplete-flagged.json"
echo
echo "state dir: $D/state   (faxintake --config $D/faxintake.conf files --json)"
