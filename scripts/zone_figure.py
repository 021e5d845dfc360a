#!/usr/bin/env python3
"""Draws the derived zone per version over the reference lines, and tabulates
the boundary's accuracy by stretch, from the committed files in geodata/.

    python3 scripts/zone_figure.py            # writes docs/zone-versions.svg
    python3 scripts/zone_figure.py --readme   # also rewrites the stretch table in geodata/README.md
    python3 scripts/zone_figure.py --check    # both up to date? (part of `make test`)

Standard library only, deterministic output (same data, same bytes), so
`make figures` runs anywhere the repository is checked out. The projection is
equirectangular at the region's mean latitude: good to a fraction of a
percent over 150 km, which is all a figure needs. Lengths in the table are
great-circle distances on a sphere of the WGS 84 mean radius (within 0.3 % of
the geodesic the server's figures use).
"""

import argparse
import json
import math
import pathlib
import re
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEO = ROOT / "geodata"
R_EARTH_M = 6_371_008.8

# Accuracy classes and their colours (light to dark: better to worse).
CLASSES = [(1000, "#1a9850"), (2000, "#91cf60"), (3000, "#fee08b"), (5000, "#fc8d59"), (math.inf, "#d73027")]
PANEL_W, PANEL_H, PAD = 420, 400, 16


def load(name):
    return json.loads((GEO / name).read_text(encoding="utf-8"))["features"]


def rings(geom):
    """Every ring of a (Multi)Polygon or every part of a (Multi)LineString."""
    t, c = geom["type"], geom["coordinates"]
    if t == "Polygon":
        return c
    if t == "MultiPolygon":
        return [r for poly in c for r in poly]
    if t == "LineString":
        return [c]
    if t == "MultiLineString":
        return c
    return []


def haversine_m(a, b):
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH_M * math.asin(math.sqrt(h))


def accuracy_colour(m):
    return next(c for limit, c in CLASSES if m <= limit)


def basis_label(b):
    """A stretch's basis in words: the two places, or the line."""
    kind = b.get("kind")
    if kind == "control_points":
        z, o = b["zone_side"], b["other_side"]
        return f"between {z['name']} ({z['status']}) and {o['name']} ({o['status']})"
    if kind == "reference_line":
        return f"along the {b['line']['name'].lower()}"
    if kind == "place_and_reference_line":
        p = b["place"]
        return f"{p['name']} ({p['status']}) against the {b['line']['name'].lower()}"
    return kind or "unknown"


def stretches(feature):
    """Runs of edges with one basis, merged per basis: label, length km, accuracy m (length-weighted)."""
    props = feature["properties"]
    bases = props.get("bases") or []
    acc, basis = props.get("edge_accuracy_m"), props.get("edge_basis")
    geom = feature["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    totals = {}
    for pi, poly in enumerate(polys):
        for ri, ring in enumerate(poly):
            for i in range(len(ring) - 1):
                length = haversine_m(ring[i], ring[i + 1])
                b = int(basis[pi][ri][i])
                a = float(acc[pi][ri][i])
                label = basis_label(bases[b]) if 0 <= b < len(bases) else "unknown"
                t = totals.setdefault(label, [0.0, 0.0, 0.0])
                t[0] += length
                t[1] += length * a
                t[2] = max(t[2], a)
    rows = [(label, l / 1000, w / l, worst) for label, (l, w, worst) in totals.items() if l > 0]
    return sorted(rows, key=lambda r: (-r[3], -r[1], r[0]))


class View:
    """Equirectangular projection of a lon/lat box into a panel."""

    def __init__(self, box):
        (x0, y0, x1, y1) = box
        self.k = math.cos(math.radians((y0 + y1) / 2))
        w, h = (x1 - x0) * self.k, y1 - y0
        self.s = min((PANEL_W - 2 * PAD) / w, (PANEL_H - 2 * PAD - 30) / h)
        self.x0, self.y1 = x0, y1
        # Centred across the panel.
        self.dx = PAD + ((PANEL_W - 2 * PAD) - w * self.s) / 2

    def xy(self, p):
        return (self.dx + (p[0] - self.x0) * self.k * self.s, PAD + 30 + (self.y1 - p[1]) * self.s)

    def path(self, ring, close):
        pts = [self.xy(p) for p in ring]
        d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        return d + (" Z" if close else "")


def panel(view, zone, corridor, oblast, stretches_, border, depiction, ox, oy):
    clip = f"panel-{ox}-{oy}"
    out = [f'<g transform="translate({ox},{oy})">',
           f'<clipPath id="{clip}"><rect width="{PANEL_W}" height="{PANEL_H}"/></clipPath>',
           f'<rect width="{PANEL_W}" height="{PANEL_H}" fill="#fff" stroke="#ccc"/>',
           f'<g clip-path="url(#{clip})">']
    p = zone["properties"]
    title = f"{p['valid_from']} – {p['valid_to'] or 'end'}"
    fig = p.get("figures") or {}
    area = fig.get("area_km2")
    mean = (fig.get("accuracy") or {}).get("mean_m")
    out.append(f'<text x="{PAD}" y="22" font-size="14" font-weight="bold">{escape(title)}</text>')
    if area is not None:
        out.append(f'<text x="{PAD}" y="40" font-size="11">{area:,.0f} km², mean accuracy {mean / 1000:.1f} km</text>')
    for geom in oblast:
        for r in rings(geom):
            out.append(f'<path d="{view.path(r, False)}" fill="none" stroke="#999" stroke-width="0.8" stroke-dasharray="3 2"/>')
    for geom in border:
        for r in rings(geom):
            out.append(f'<path d="{view.path(r, False)}" fill="none" stroke="#555" stroke-width="1"/>')
    if depiction is not None:
        for r in rings(depiction):
            out.append(f'<path d="{view.path(r, True)}" fill="none" stroke="#7b3294" stroke-width="0.9" stroke-dasharray="1 2"/>')
    d = " ".join(view.path(r, True) for r in rings(zone["geometry"]))
    out.append(f'<path d="{d}" fill="#4575b4" fill-opacity="0.18" fill-rule="evenodd" stroke="none"/>')
    for c in corridor:
        d = " ".join(view.path(r, True) for r in rings(c["geometry"]))
        out.append(f'<path d="{d}" fill="#fdae61" fill-opacity="0.45" stroke="#f46d43" stroke-width="0.6"/>')
    # The zone's edges coloured by their stated accuracy.
    acc = p.get("edge_accuracy_m")
    geom = zone["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for pi, poly in enumerate(polys):
        for ri, ring in enumerate(poly):
            for i in range(len(ring) - 1):
                (x1, y1), (x2, y2) = view.xy(ring[i]), view.xy(ring[i + 1])
                colour = accuracy_colour(acc[pi][ri][i]) if acc else "#333"
                out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="2"/>')
    for geom in stretches_:
        for r in rings(geom):
            out.append(f'<path d="{view.path(r, False)}" fill="none" stroke="#000" stroke-width="0.7"/>')
    out.append("</g></g>")
    return out


def legend(x, y):
    out = [f'<g transform="translate({x},{y})" font-size="11">']
    prev = 0
    for i, (limit, colour) in enumerate(CLASSES):
        label = f"edge ≤ {limit / 1000:g} km" if limit != math.inf else f"edge > {prev / 1000:g} km"
        out.append(f'<line x1="{i * 120}" y1="0" x2="{i * 120 + 24}" y2="0" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="{i * 120 + 28}" y="4">{escape(label)}</text>')
        prev = limit
    items = [("#999", "3 2", "former oblast border"), ("#000", "", "handover stretches"), ("#555", "", "Armenia–Azerbaijan border (DCW)"),
             ("#7b3294", "1 2", "Natural Earth 2020 depiction"), ("#f46d43", "", "Lachin corridor")]
    for i, (colour, dash, label) in enumerate(items):
        dx = i * 250
        out.append(f'<line x1="{dx}" y1="20" x2="{dx + 24}" y2="20" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{dx + 28}" y="24">{escape(label)}</text>')
    out.append("</g>")
    return out


def figure():
    zones = sorted(load("zone.geojson"), key=lambda f: f["properties"]["valid_from"])
    corridors = load("corridor.geojson")
    refs = load("reference-lines.geojson")
    oblast = [f["geometry"] for f in refs if f["properties"].get("role") == "context"]
    handover = [f["geometry"] for f in refs if f["properties"].get("role") == "handover_stretch"]
    border = [f["geometry"] for f in refs if f["properties"].get("role") == "border"]
    depiction = next((f["geometry"] for f in load("depictions.geojson") if f["geometry"]["type"] in ("Polygon", "MultiPolygon")), None)
    pts = [p for z in zones for r in rings(z["geometry"]) for p in r]
    pts += [p for c in corridors for r in rings(c["geometry"]) for p in r]
    box = (min(p[0] for p in pts) - 0.05, min(p[1] for p in pts) - 0.05, max(p[0] for p in pts) + 0.05, max(p[1] for p in pts) + 0.05)
    view = View(box)
    cols = 3 if len(zones) > 4 else 2
    n = len(zones)
    width = cols * PANEL_W + (cols + 1) * 10
    height = math.ceil(n / cols) * (PANEL_H + 10) + 10 + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif">',
           f'<rect width="{width}" height="{height}" fill="#fafafa"/>']
    for i, z in enumerate(zones):
        day = z["properties"]["valid_from"]
        live = [c for c in corridors if c["properties"]["valid_from"] <= day and (c["properties"]["valid_to"] is None or day < c["properties"]["valid_to"])]
        ox, oy = 10 + (i % cols) * (PANEL_W + 10), 10 + (i // cols) * (PANEL_H + 10)
        out += panel(view, z, live, oblast, handover, border, depiction, ox, oy)
    out += legend(20, height - 35)
    out.append("</svg>")
    return "\n".join(out) + "\n", zones


def table(zones):
    lines = ["| version | area km² | perimeter km | median | length-weighted mean | worst |", "|---|---|---|---|---|---|"]
    for z in zones:
        p = z["properties"]
        f = p.get("figures") or {}
        a = f.get("accuracy") or {}
        lines.append(f"| {p['valid_from']} – {p['valid_to'] or 'end'} | {f.get('area_km2', 0):,.0f} | {f.get('perimeter_km', 0):,.0f} | "
                     f"{a.get('median_m', 0) / 1000:.1f} km | {a.get('mean_m', 0) / 1000:.2f} km | {a.get('max_m', 0) / 1000:.1f} km |")
    final = zones[-1]
    lines += ["", f"Stretches of the final version ({final['properties']['valid_from']}) by basis, worst first:", "",
              "| stretch | length km | accuracy (length-weighted) | worst edge |", "|---|---|---|---|"]
    for label, km, mean, worst in stretches(final):
        lines.append(f"| {escape(label).replace('|', '/')} | {km:.1f} | {mean / 1000:.1f} km | {worst / 1000:.1f} km |")
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- stretches:begin (scripts/zone_figure.py --readme) -->"
README_END = "<!-- stretches:end -->"


def with_table(readme_text, t):
    """The README text with `t` between the stretch markers."""
    if README_BEGIN not in readme_text:
        raise SystemExit(f"geodata/README.md: add the markers {README_BEGIN} and {README_END} where the table goes")
    return re.sub(re.escape(README_BEGIN) + r".*?" + re.escape(README_END), lambda _: f"{README_BEGIN}\n{t}{README_END}",
                  readme_text, flags=re.S)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readme", action="store_true", help="rewrite the table between the stretch markers in geodata/README.md")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if the figure or the README table is stale")
    ap.add_argument("--out", default=str(ROOT / "docs" / "zone-versions.svg"))
    args = ap.parse_args()
    svg, zones = figure()
    t = table(zones)
    out, readme = pathlib.Path(args.out), GEO / "README.md"
    if args.check:
        stale = [str(p.relative_to(ROOT)) for p, text in [(out, svg), (readme, with_table(readme.read_text(encoding="utf-8"), t))]
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            raise SystemExit(f"stale, run `make figures`: {', '.join(stale)}")
        print("figures are up to date")
        return
    out.write_text(svg, encoding="utf-8")
    if args.readme:
        readme.write_text(with_table(readme.read_text(encoding="utf-8"), t), encoding="utf-8")
    else:
        print(t, end="")


if __name__ == "__main__":
    main()
