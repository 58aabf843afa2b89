#!/usr/bin/python3
"""percpu-chunks-svg.py - draw the per-CPU allocator's chunks from a saved boot log.

    tools/percpu-chunks-svg.py [-o OUT.svg] BOOT.log

Reads the "percpu-stats: map/chunk ..." lines run=percpu-stats prints (the last dump in
the log when there are several) and writes an SVG (standard output without -o): one row
per chunk, one cell per unit page, each cell showing whether the page is populated, which
bytes of it are allocated (to scale) and how many, and where the free runs are. The
first chunk's bytes before its range (static and reserved) are drawn dark. Same log, same
bytes. Exit status 2 with one line on standard error for a log without a dump or with a
broken one. python3 standard library only.
"""
import argparse
import re
import sys
from xml.sax.saxutils import escape

PAGES_PER_ROW = 16
BAR_W = 960
BAR_H = 30
MARGIN = 16
LINE = 16

MAP_RE = re.compile(r"percpu-stats: map unit (\d+) page (\d+) chunks (\d+)\s*$")
HEAD_RE = re.compile(r"percpu-stats: chunk (\d+) (reserved|first|dynamic) base (0x[0-9a-f]+|0) "
                     r"range (\d+)-(\d+) pages (\d+)\+(\d+) live (\d+)\s*$")
PAGES_RE = re.compile(r"percpu-stats: chunk (\d+) pages (\d+):((?: [P.]\d+)+)\s*$")
FREE_RE = re.compile(r"percpu-stats: chunk (\d+) free((?: \d+\+\d+)+)\s*$")
END_RE = re.compile(r"percpu-stats: chunk (\d+) end runs (\d+)( \(cut short\))?\s*$")


class LogError(Exception):
    pass


def parse(lines):
    """The last dump in lines: (unit, page, [chunk dicts]); LogError when there is none or
    it is inconsistent."""
    dump = None
    for n, raw in enumerate(lines, 1):
        line = raw.replace("\r", "").rstrip("\n")
        i = line.find("percpu-stats: ")
        if i < 0:
            continue
        line = line[i:]
        m = MAP_RE.match(line)
        if m:
            dump = {"unit": int(m[1]), "page": int(m[2]), "chunks": [], "open": None}
            continue
        if dump is None or not line.startswith("percpu-stats: chunk "):
            continue
        m = HEAD_RE.match(line)
        if m:
            c = {"index": int(m[1]), "kind": m[2], "base": m[3], "start": int(m[4]),
                 "end": int(m[5]), "first_page": int(m[6]), "nr_pages": int(m[7]),
                 "live": int(m[8]), "pages": [], "runs": [], "done": False}
            dump["chunks"].append(c)
            dump["open"] = c
            continue
        c = dump["open"]
        if c is None:
            raise LogError(f"line {n}: chunk line before a chunk header")
        m = PAGES_RE.match(line) or FREE_RE.match(line) or END_RE.match(line)
        if not m or int(m[1]) != c["index"]:
            raise LogError(f"line {n}: not a line of chunk {c['index']}: {line[:60]}")
        if m.re is PAGES_RE:
            if int(m[2]) != c["first_page"] + len(c["pages"]):
                raise LogError(f"line {n}: page {m[2]} out of order")
            c["pages"] += [(t[0] == "P", int(t[1:])) for t in m[3].split()]
        elif m.re is FREE_RE:
            c["runs"] += [tuple(int(x) for x in t.split("+")) for t in m[2].split()]
        else:
            c["done"] = True
            c["cut"] = bool(m[3])
            dump["open"] = None
            if not m[3] and int(m[2]) != len(c["runs"]):
                raise LogError(f"line {n}: chunk {c['index']}: {m[2]} runs said, "
                               f"{len(c['runs'])} listed")
            if not m[3] and len(c["pages"]) != c["nr_pages"]:
                raise LogError(f"line {n}: chunk {c['index']}: {c['nr_pages']} pages said, "
                               f"{len(c['pages'])} listed")
    if dump is None:
        raise LogError("no 'percpu-stats: map' line (boot with run=percpu-stats)")
    if not dump["chunks"] or any(not c["done"] for c in dump["chunks"]):
        raise LogError("the last chunk dump is incomplete (log cut short?)")
    return dump["unit"], dump["page"], dump["chunks"]


def fmt(x):
    return f"{x:.2f}".rstrip("0").rstrip(".")


def draw(unit, page, chunks, title):
    unit_pages = max(1, (unit + page - 1) // page)
    per_row = min(unit_pages, PAGES_PER_ROW)
    pw = BAR_W // per_row
    scale = pw / page
    rows = (unit_pages + per_row - 1) // per_row
    chunk_h = 2 * LINE + rows * (BAR_H + LINE + 4) + 10
    width = MARGIN * 2 + per_row * pw
    head_h = 3 * LINE + 30
    height = MARGIN * 2 + head_h + chunk_h * len(chunks)
    total_free = sum(n for c in chunks for _, n in c["runs"])
    total_runs = sum(len(c["runs"]) for c in chunks)
    pop = sum(p for c in chunks for p, _ in c["pages"])
    npages = sum(len(c["pages"]) for c in chunks)
    o = ['<?xml version="1.0" encoding="UTF-8"?>',
         f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" data-chunks="{len(chunks)}">',
         f"<title>per-CPU chunks: {escape(title)}</title>",
         "<style>text { font-family: DejaVu Sans Mono, monospace; font-size: 12px; "
         "fill: #222; } .title { font-size: 16px; font-weight: bold; } "
         ".small { font-size: 10px; } .used { fill: #4e79a7; } .free { fill: #e3f2d9; } "
         ".outside { fill: #555; } .unpop { fill: url(#hatch); } "
         ".frame { fill: none; stroke: #333; stroke-width: 1; }</style>",
         '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
         'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
         '<line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="3"/></pattern></defs>',
         f'<rect width="{width}" height="{height}" fill="#fff"/>']
    y = MARGIN
    o.append(f'<text class="title" x="{MARGIN}" y="{y + 14}">per-CPU chunks: '
             f"{escape(title)}</text>")
    y += LINE + 6
    o.append(f'<text x="{MARGIN}" y="{y + 12}">{len(chunks)} chunks, unit {unit} B = '
             f"{unit_pages} pages of {page} B; {pop} of {npages} pages populated; "
             f"free {total_free} B per unit in {total_runs} runs</text>")
    y += LINE
    o.append(f'<text x="{MARGIN}" y="{y + 12}">blue: allocated (to scale); green: free '
             f"and populated; hatched: not populated; dark: outside the chunk</text>")
    y += LINE
    o.append(f'<text x="{MARGIN}" y="{y + 12}">under each page: bytes allocated on it; '
             f"frag = 1 - largest free run / free bytes</text>")
    y += LINE + 14
    for c in chunks:
        draw_chunk(o, c, page, per_row, pw, scale, y, width)
        y += chunk_h
    o.append("</svg>")
    return "\n".join(o) + "\n"


def draw_chunk(o, c, page, per_row, pw, scale, y, width):
    free = sum(n for _, n in c["runs"])
    largest = max((n for _, n in c["runs"]), default=0)
    frag = 1 - largest / free if free else 0.0
    o.append(f'<g class="chunk" id="chunk-{c["index"]}" data-kind="{c["kind"]}">')
    o.append(f'<text x="{MARGIN}" y="{y + 12}" style="font-weight: bold">chunk {c["index"]}'
             f' ({c["kind"]}) at {c["base"]}</text>')
    o.append(f'<text x="{MARGIN + 330}" y="{y + 12}">bytes {c["start"]}-{c["end"]}: '
             f'{c["live"]} live, free {free} B in {len(c["runs"])} runs, largest {largest},'
             f" frag {frag:.2f}{', cut short' if c.get('cut') else ''}</text>")
    top = y + LINE + 4

    def cell(page_no):
        row, col = divmod(page_no, per_row)
        return MARGIN + col * pw, top + row * (BAR_H + LINE + 4)

    def span(cls, a, b, extra=""):
        """Rects for unit bytes [a, b), split where the rows wrap."""
        while a < b:
            pg = a // page
            stop = min(b, (pg // per_row + 1) * per_row * page)
            _, yy = cell(pg)
            x = MARGIN + (a - (pg // per_row) * per_row * page) * scale
            o.append(f'<rect class="{cls}" x="{fmt(x)}" y="{yy}" '
                     f'width="{fmt((stop - a) * scale)}" height="{BAR_H}"{extra}/>')
            a = stop

    first = c["first_page"]
    if c["start"] > first * page:
        span("outside", first * page, c["start"])
    span("used", c["start"], c["end"])
    for off, n in c["runs"]:
        o.append(f'<g class="run" data-off="{off}" data-len="{n}">')
        span("free", off, off + n)
        o.append("</g>")
    for i, (populated, used) in enumerate(c["pages"]):
        pg = first + i
        x, yy = cell(pg)
        o.append(f'<g class="page" data-page="{pg}" data-used="{used}" '
                 f'data-populated="{int(populated)}">')
        if not populated:
            o.append(f'<rect class="unpop" x="{x}" y="{yy}" width="{pw}" height="{BAR_H}" '
                     'opacity="0.85"/>')
        o.append(f'<rect class="frame" x="{x}" y="{yy}" width="{pw}" height="{BAR_H}"/>')
        o.append(f'<text class="small" x="{x + 2}" y="{yy + BAR_H + 11}">{used}'
                 f'{"" if populated else " np"}</text></g>')
    if c["end"] % page:
        span("outside", c["end"], (c["end"] // page + 1) * page)
    o.append("</g>")


def main():
    ap = argparse.ArgumentParser(description="Draw per-CPU chunks from a boot log "
                                 "(run=percpu-stats) as SVG.")
    ap.add_argument("log", help="saved boot log")
    ap.add_argument("-o", "--output", help="SVG file to write (default: standard output)")
    ap.add_argument("--title", help="heading (default: the log's file name)")
    a = ap.parse_args()
    prog = "percpu-chunks-svg"
    try:
        with open(a.log, encoding="utf-8", errors="replace") as f:
            unit, page, chunks = parse(f)
    except OSError as e:
        print(f"{prog}: {a.log}: {e.strerror}", file=sys.stderr)
        return 2
    except LogError as e:
        print(f"{prog}: {a.log}: {e}", file=sys.stderr)
        return 2
    if page <= 0 or unit <= 0:
        print(f"{prog}: {a.log}: unit {unit} / page {page} make no sense", file=sys.stderr)
        return 2
    svg = draw(unit, page, chunks, a.title or a.log.rsplit("/", 1)[-1])
    if a.output:
        try:
            with open(a.output, "w", encoding="utf-8") as f:
                f.write(svg)
        except OSError as e:
            print(f"{prog}: {a.output}: {e.strerror}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
