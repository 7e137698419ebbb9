#!/bin/sh
# tiss-schemas: the official schemas installed only when every file's
# SHA-256 is the official one; from the ANS zip or its unpacked folder.
. "$TISS_SRC/tests/lib.sh"

# A copy of the official 4.03.00 files as the ANS package lays them out.
pkg="Padrão TISS Comunicação 040300"
mkdir -p "good/$pkg"
cp "$TISS_SHARED"/4.03.00/*.xsd "good/$pkg/"
chmod -R u+w good

expect_code 0 "a good folder is installed" \
	tiss-schemas --datadir data install good
has out "data/schemas/4.03.00" "the folder installed is printed"
check "every file installed, byte for byte" \
	sh -c 'for f in "$TISS_SHARED"/4.03.00/*.xsd; do
		cmp "$f" "data/schemas/4.03.00/${f##*/}" || exit 1; done'
same 7 "$(ls data/schemas/4.03.00 | wc -l)" "only the seven listed files"
expect_code 0 "installing again is harmless" \
	tiss-schemas --datadir data install good
same 7 "$(ls data/schemas/4.03.00 | wc -l)" "still seven files"
same "" "$(ls -A data/schemas | grep '^\.')" "no temporary folder left"

# The zip the ANS publishes (built here with python's zipfile).
(cd good && python3 -m zipfile -c ../PadroTISSComunicao_202511.zip "$pkg")
expect_code 0 "the zip is installed" \
	tiss-schemas --datadir zdata install PadroTISSComunicao_202511.zip
check "from the zip, byte for byte" \
	cmp "$TISS_SHARED/4.03.00/tissV4_03_00.xsd" \
	zdata/schemas/4.03.00/tissV4_03_00.xsd

# A tampered file: one byte more.
cp -r good bad
printf ' ' >>"bad/$pkg/tissGuiasV4_03_00.xsd"
expect_code 65 "a tampered file is refused" \
	tiss-schemas --datadir bdata install bad
has err "tissGuiasV4_03_00.xsd' differs from the official" \
	"the tampered file is named"
check "nothing installed" test ! -e bdata/schemas/4.03.00
(cd bad && python3 -m zipfile -c ../bad.zip "$pkg")
expect_code 65 "a tampered file in a zip is refused" \
	tiss-schemas --datadir bdata install bad.zip
has err "tissGuiasV4_03_00.xsd' differs" "named from the zip too"

# A missing file.
cp -r good short
rm "short/$pkg/tissComplexTypesV4_03_00.xsd"
expect_code 65 "a missing file is refused" \
	tiss-schemas --datadir sdata install short
has err "tissComplexTypesV4_03_00.xsd' is missing" "the missing file is named"
check "nothing installed" test ! -e sdata/schemas

# A tampered package over a good install leaves the good one alone.
expect_code 65 "a bad package over a good install" \
	tiss-schemas --datadir data install bad
check "the good install is intact" cmp "$TISS_SHARED/4.03.00/tissGuiasV4_03_00.xsd" \
	data/schemas/4.03.00/tissGuiasV4_03_00.xsd

# Not a package at all.
mkdir empty
expect_code 65 "a folder without schemas" tiss-schemas --datadir e install empty
has err "holds no entry schema" "says what it expected"
echo "not a zip" >fake.zip
expect_code 65 "a file that is not a zip" tiss-schemas --datadir e install fake.zip
expect_code 66 "a package that does not exist" \
	tiss-schemas --datadir e install nonexistent.zip
expect_code 64 "install without a package" tiss-schemas install

# 4.01.00 from its folder, and the list.
cp -r "$TISS_SHARED/4.01.00" v401
expect_code 0 "4.01.00 installed" tiss-schemas --datadir data install v401
expect_code 0 "list" tiss-schemas --datadir data list
has out "4.03.00	from 2025-12-01 (default)	data/schemas/4.03.00" \
	"4.03.00 is the default and installed"
has out "3.05.00	from 2018-11-01	not installed" "3.05.00 is not installed"

# A read-only data directory.
if [ "$(id -u)" -ne 0 ]; then
	mkdir ro && chmod 555 ro
	expect_code 77 "a data directory it cannot write" \
		tiss-schemas --datadir ro install good
fi
done_testing
