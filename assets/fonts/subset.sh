#!/usr/bin/env bash
# Rebuilds WenQuanYiMicroHei-nocard.ttf, the font printed copies use
# (src/copy/), from Debian's fonts-wqy-microhei. Needs fontTools
# (`pip install fonttools`) and the .ttc from that package:
#   apt-get download fonts-wqy-microhei && dpkg-deb -x fonts-wqy-microhei_*.deb wqy
#   bash assets/fonts/subset.sh wqy/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
# Kept: printable ASCII, a few Latin-1 and general punctuation marks, CJK
# punctuation, fullwidth forms, every GB 2312 character and the whole CJK
# Unified Ideographs block (so rare name characters such as 玥 and 堃 print).
# Dropped: hinting and the OpenType layout tables (a copy uses neither).
set -euo pipefail
ttc=$1
out=$(dirname "$0")/WenQuanYiMicroHei-nocard.ttf
unicodes=$(python3 - <<'PY'
chars = set(range(0x20, 0x7F)) | {0xB7, 0xD7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2116}
chars |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))
for b1 in range(0xA1, 0xF8):
    for b2 in range(0xA1, 0xFF):
        try:
            chars.add(ord(bytes([b1, b2]).decode("gb2312")))
        except UnicodeDecodeError:
            pass
print(",".join("U+%04X" % c for c in sorted(chars)) + ",U+4E00-9FFF")
PY
)
pyftsubset "$ttc" --font-number=0 --unicodes="$unicodes" --no-hinting --layout-features='' \
    --name-IDs='*' --name-languages='*' \
    --drop-tables+=GSUB,GPOS,GDEF,BASE,vhea,vmtx,FFTM --output-file="$out"
