#!/usr/bin/env bash
# Regenerates desktop/assets/icon.png (512x512): a rounded blue square with a
# white circular arrow, "boucle" being French for loop. Needs ImageMagick and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-desktop/assets/icon.png}
convert=/usr/bin/convert
[[ -x $convert ]] || convert=convert

# The glyph as filled polygons: a ring sector running clockwise from -40 to
# 260 degrees (screen angles, y down) with a round tail, and an arrowhead.
draw=$(python3 - <<'PY'
import math
cx, cy = 256.0, 268.0   # a little low: the arrowhead rises above the ring
r, w = 128.0, 46.0           # ring radius and thickness
a0, a1 = -40.0, 262.0        # tail and head angles
L, W = 70.0, 54.0            # arrowhead length and half-width
def pt(a, rad):
    a = math.radians(a)
    return cx + rad*math.cos(a), cy + rad*math.sin(a)
n = 160
outer = [pt(a0 + (a1-a0)*i/n, r + w/2) for i in range(n+1)]
inner = [pt(a1 - (a1-a0)*i/n, r - w/2) for i in range(n+1)]
fmt = lambda ps: " ".join(f"{x:.2f},{y:.2f}" for x, y in ps)
tx, ty = pt(a0, r)
t = math.radians(a1)
hx, hy = pt(a1, r)
dx, dy = -math.sin(t), math.cos(t)   # clockwise tangent at the head
nx, ny = math.cos(t), math.sin(t)    # outward normal
head = [(hx + L*dx, hy + L*dy), (hx + W*nx, hy + W*ny), (hx - W*nx, hy - W*ny)]
print(f"polygon {fmt(outer + inner)} "
      f"circle {tx:.2f},{ty:.2f} {tx + w/2:.2f},{ty:.2f} "
      f"polygon {fmt(head)}")
PY
)

"$convert" -size 512x512 'gradient:#3B82E0-#1747A0' \
	\( -size 512x512 xc:black -fill white -draw 'roundrectangle 16,16 495,495 104,104' \) \
	-alpha off -compose CopyOpacity -composite -compose Over \
	-stroke none -fill white -draw "$draw" \
	-strip "PNG32:$out"
