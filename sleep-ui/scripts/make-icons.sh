#!/bin/sh
# Regenerates the PNG app icons of static/manifest.webmanifest (SPEC §15.2) from the logo in
# static/favicon.svg: a rounded indigo square with a crescent moon, drawn here with ImageMagick's
# vector primitives (the same shapes and colours as the SVG, which this ImageMagick build cannot
# rasterise without an SVG delegate). The PNGs are committed; run this only when the logo changes.
#   sh scripts/make-icons.sh      (from sleep-ui/, needs ImageMagick's `convert`)
set -eu
cd "$(dirname "$0")/../static"
bg='#312e81'
moon='M20.5 7.5a9 9 0 1 0 4 15.6A10 10 0 0 1 20.5 7.5z'
for size in 192 512; do
	s=$(echo "scale=4; $size / 32" | bc)
	convert -size "${size}x${size}" xc:none \
		-draw "scale $s,$s fill '$bg' roundrectangle 0,0 32,32 8,8" \
		-draw "scale $s,$s fill '#e0e7ff' path '$moon'" \
		-depth 8 -strip -define png:exclude-chunks=date,time "icon-$size.png"
done
# Maskable: a full-bleed background with the moon inside the central safe zone (a circle of 80%
# of the width), so any mask shape the platform applies keeps it whole.
size=512
# The moon spans about 17.5 logo units around (15.75, 16): scale it to half the width, centred.
s=14.6
offset_x=26
offset_y=22
convert -size "${size}x${size}" "xc:$bg" \
	-draw "translate $offset_x,$offset_y scale $s,$s fill '#e0e7ff' path '$moon'" \
	-depth 8 -strip -define png:exclude-chunks=date,time icon-maskable-512.png
