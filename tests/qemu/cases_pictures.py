"""cases_pictures.py - the chunk-occupancy picture from a real boot (issue 13, Pictures).

Each arch boots 4 CPUs in 2 nodes (arm64 also with the areamap allocator) with
run=percpu-stress,percpu-stats and percpu_stats_churn=300 (the stress makes and frees
chunks, the churn leaves holes), so
percpu-stats prints fragmented chunk maps and checks them against the chunks' free
counts. After the boot, tools/percpu-chunks-svg.py draws the saved log; the SVG must parse
with xml.etree, hold one chunk group per "chunk I KIND" line, one page cell per page and
one free-run group per run the log lists, show fragmentation (a chunk with several free
runs), and come out the same bytes when drawn twice.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "percpu-chunks-svg.py")
NS = "{http://www.w3.org/2000/svg}"


def draw(log_path, svg_path):
    """Runs the tool; a list of problems (empty when it worked)."""
    p = subprocess.run([sys.executable, TOOL, "-o", svg_path, log_path],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return [f"percpu-chunks-svg.py exit {p.returncode}: {p.stderr.strip()}"]
    return []


def groups(root, cls):
    return [g for g in root.iter(NS + "g") if g.get("class") == cls]


def check_picture(case, log):
    """After the boot: draw the log twice and compare the SVG with the log's dump."""
    logdir = os.path.join(ROOT, "build", "qemu-tests")
    log_path = os.path.join(logdir, case.name + ".log")
    svg_a = os.path.join(logdir, case.name + ".svg")
    svg_b = os.path.join(logdir, case.name + ".again.svg")
    why = draw(log_path, svg_a) or draw(log_path, svg_b)
    if why:
        return why
    with open(svg_a, "rb") as fa, open(svg_b, "rb") as fb:
        if fa.read() != fb.read():
            why.append("the SVG differs between two runs on the same log")
    try:
        root = ET.parse(svg_a).getroot()
    except ET.ParseError as e:
        return why + [f"the SVG does not parse: {e}"]
    dump = log[log.rfind("percpu-stats: map unit"):]
    heads = re.findall(r"^percpu-stats: chunk \d+ (?:reserved|first|dynamic) .* pages \d+\+(\d+) ",
                       dump, re.M)
    runs = sum(len(m.split()) for m in re.findall(r"^percpu-stats: chunk \d+ free(.*)$",
                                                  dump, re.M))
    chunks = groups(root, "chunk")
    if len(chunks) != len(heads) or not heads:
        why.append(f"{len(chunks)} chunk groups in the SVG, {len(heads)} chunks in the log")
    pages = len(groups(root, "page"))
    if pages != sum(int(n) for n in heads):
        why.append(f"{pages} page cells, the log has {sum(int(n) for n in heads)} pages")
    if len(groups(root, "run")) != runs:
        why.append(f"{len(groups(root, 'run'))} free runs drawn, the log lists {runs}")
    most = max((len([g for g in c.iter(NS + "g") if g.get("class") == "run"])
                for c in chunks), default=0)
    if most < 4:
        why.append(f"no fragmentation to see: at most {most} free runs in a chunk")
    return why


def cases(r):
    B, Case = r.qemu.Boot, r.Case
    out = []
    for arch, kind in (("arm64", "bitmap"), ("riscv64", "bitmap"), ("arm64", "areamap")):
        name = f"{arch}-percpu-chunks-picture" + ("" if kind == "bitmap" else f"-{kind}")
        out.append(Case(name,
                        B(arch, smp=4, nodes=2, mem_mb=1024,
                          append=f"percpu_allocator={kind} percpu_stress_iterations=500 "
                                 "percpu_stats_churn=300 run=percpu-stress,percpu-stats"),
                        expect=[r"^percpu-stats: churn 300 allocations \(300 made\)",
                                r"^percpu-stats: map unit \d+ page 4096 chunks \d+$",
                                r"^percpu-stats: chunk 1 first base ",
                                rf"^percpu stats \({kind} allocator",
                                r"^run: percpu-stats: PASS"],
                        reject=[r"chunk \d+ map: free"],
                        timeout=180, after=check_picture))
    return out
