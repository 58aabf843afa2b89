#!/usr/bin/env python3
"""linux_parity.py - the real Linux kernel as the reference for pcpu-layout (make test-linux).

For each machine of MACHINES, on arm64 (Debian 12's Linux 6.1) and riscv64 (Debian 13's
Linux 6.12), both fetched by scripts/linux-kernels.sh into build/linux/<arch>/:

1. QEMU's tree for the machine is dumped (-M virt,dumpdtb=) and, for some machines, edited
   (cpu nodes out of hwid order, numa-node-id and /distance-map rewritten: QEMU 7.2's riscv
   virt makes at most 4 nodes, each of contiguous harts);
2. Linux boots on it (with that tree) with loglevel=8 earlycon, and QEMU is stopped as soon
   as the `pcpu-alloc:` lines are out; its `percpu: Embedded ... s%d r%d d%d u%d` line gives
   the kernel's static size s and reserved size r, its boot CPU comes from "Booting Linux on
   physical CPU" (arm64) or OpenSBI's "Boot HART ID" (riscv: the lottery's winner);
3. build/host/pcpu-layout --static s --reserved r --boot-hwid <boot CPU> --max-nodes <the
   kernel's MAX_NUMNODES> on the tree must print the kernel's `percpu: Embedded` and
   `pcpu-alloc:` lines, line for line;
4. pcpurt boots on the same machine and tree, stopped the same way: its lines must equal
   pcpu-layout's for pcpurt's own static size, reserved size and boot CPU.

  tests/qemu/linux_parity.py [-k SUBSTRING] [-j JOBS] [--list]

Logs, trees and pcpu-layout outputs go to build/linux-parity/. Exit status 0 when every
comparison holds.
"""
import argparse
import concurrent.futures as cf
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

OUT = os.path.join("build", "linux-parity")
LAYOUT = os.path.join("build", "host", "pcpu-layout")
# the last `pcpu-alloc: [` line, once the line after it is complete
STOP = rb"pcpu-alloc: \[[^\n]*\n(?![^\n]*pcpu-alloc: )[^\n]*\n"
TIMEOUT = 180  # a boot here takes 1-15 s; 95 s was seen with the host load average near 80

# 4 nodes, unequal distances
DIST4 = {(0, 1): 15, (0, 2): 20, (0, 3): 25, (1, 2): 15, (1, 3): 20, (2, 3): 15}
# 3 nodes, no two directions alike
DIST3_ASYM = {(0, 1): 15, (1, 0): 25, (0, 2): 30, (2, 0): 20, (1, 2): 18, (2, 1): 22}


# Machines of more than 16 CPUs run QEMU's TCG in one thread, with little memory. Multi-
# threaded, arm64 Linux took 2 minutes to its pcpu-alloc lines with 160 vCPUs and 2 GiB on
# a busy 2-core host: before them it maps the linear map page by page (KFENCE), and each of
# its thousands of broadcast TLB invalidations makes QEMU stop every vCPU thread (so also
# little memory: fewer page tables); riscv (OpenSBI's start on 112 harts) took 110 s,
# one-threaded 4 s. Only the boot CPU runs before the lines, so one thread changes nothing
# they show. The smaller machines stay multi-threaded, where OpenSBI's lottery for the boot
# hart has more real contenders (one-threaded, hart 0 wins it most of the time).
SINGLE = ["-accel", "tcg,thread=single"]
SINGLE_ABOVE = 16


# MAX_NUMNODES (1 << CONFIG_NODES_SHIFT) of Debian's kernels: a numa-node-id at or above it
# is ignored ("OF: NUMA: Node id N exceeds maximum value"). Seen on the kernels themselves:
# arm64 6.1 takes node 15 and refuses 16; riscv64 6.12 refuses 4. pcpurt holds 64 nodes, so
# the Linux comparisons run pcpu-layout with --max-nodes of the kernel's build.
KERNEL_MAX_NODES = {"arm64": 16, "riscv64": 4}


def dist12(a, b):
    """A 12-node machine of two 6-node boards: 12 inside a board plus 2 per step, 40 across."""
    if a == b:
        return 10
    if a // 6 != b // 6:
        return 40
    return 12 + 2 * abs(a - b)


def interleaved(smp, nodes):
    """node_cpus for CPU i on node i % nodes: each node a list of one-CPU ranges."""
    return [[(c, c) for c in range(n, smp, nodes)] for n in range(nodes)]


# ---- tree edits (on dtc's text form of the tree) ------------------------------------------
CPU_NODE = re.compile(r"\n\t\tcpu@([0-9a-f]+) \{\n.*?\n\t\t\};\n", re.S)


def shuffle_cpus(seed):
    """Put the cpu nodes of /cpus in a shuffled order (the same one for a given seed)."""
    def edit(dts):
        blocks = list(CPU_NODE.finditer(dts))
        order = list(range(len(blocks)))
        random.Random(seed).shuffle(order)
        out, last = [], 0
        for slot, m in enumerate(blocks):
            out += [dts[last:m.start()], blocks[order[slot]].group(0)]
            last = m.end()
        return "".join(out) + dts[last:]
    return edit


def renode(node_of, nodes, dist):
    """Give the cpu node of hwid i (its reg) the numa-node-id node_of(i) and make
    /distance-map nodes x nodes (dist)."""
    def edit(dts):
        def cpu(m):
            reg = re.search(r"\n\t\t\treg = <(?:0x0+ )?(0x[0-9a-f]+)>;", m.group(0))
            i = int(reg.group(1), 16)
            return re.sub(r"numa-node-id = <[^>]*>;", f"numa-node-id = <{node_of(i):#x}>;",
                          m.group(0))
        dts = CPU_NODE.sub(cpu, dts)
        cells = " ".join(f"{a:#x} {b:#x} {dist(a, b):#x}"
                         for a in range(nodes) for b in range(nodes))
        dts, n = re.subn(r"distance-matrix = <[^>]*>;", f"distance-matrix = <{cells}>;", dts)
        assert n == 1, "no /distance-map to rewrite"
        return dts
    return edit


def edit_tree(src, dst, edit):
    """Rewrite the tree through edit(dts text). The seeds QEMU put in /chosen go: a tree
    passed with -dtb keeps them, and Debian's arm64 kernel was seen to hang before its first
    line with the kaslr-seed and rng-seed of a dumped tree (with either alone it booted)."""
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", src], check=True,
                         capture_output=True, text=True).stdout
    dts = re.sub(r"\n\t\t(kaslr|rng)-seed = [^\n]*", "", dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dst], check=True,
                   input=edit(dts) if edit else dts, text=True)


# ---- the machines ---------------------------------------------------------------------------
def machines():
    """(name, arch, qemu.Boot arguments, tree edit or None, what it shows)."""
    out = []
    for arch in ("arm64", "riscv64"):
        rv = arch == "riscv64"
        out += [
            (f"{arch}-nonuma-4cpu", arch, dict(smp=4), None, "no NUMA"),
            (f"{arch}-numa2-8cpu", arch, dict(smp=8, nodes=2, mem_mb=512), None, "2 nodes"),
            # riscv virt: each node's harts contiguous in QEMU, so the tree is edited
            (f"{arch}-numa3-interleaved-asym", arch,
             dict(smp=9, nodes=3, mem_mb=384, dist=DIST3_ASYM,
                  node_cpus=None if rv else interleaved(9, 3)),
             renode(lambda i: i % 3, 3, lambda a, b: 10 if a == b else
                    DIST3_ASYM.get((a, b), DIST3_ASYM.get((b, a)))) if rv else None,
             "3 nodes, CPUs interleaved (CPU i on node i % 3), asymmetric distances"),
            # riscv: QEMU 7.2 aborts unless the memory-less node is the last
            (f"{arch}-memless", arch,
             dict(smp=6, nodes=3, mem_mb=384, memless=[2 if rv else 1],
                  dist={(0, 1): 20, (1, 2): 20, (0, 2): 30}), None,
             f"3 nodes, node {2 if rv else 1} without memory"),
            (f"{arch}-numa4-64cpu", arch, dict(smp=64, nodes=4, mem_mb=256, dist=DIST4), None,
             "64 CPUs in 4 nodes, unequal distances"),
            # QEMU 7.2's riscv virt makes at most 4 nodes: 4 in QEMU, 12 in the edited tree
            # (nodes 4-11 without memory)
            (f"{arch}-numa12-24cpu", arch,
             dict(smp=24, nodes=4, mem_mb=512) if rv else
             dict(smp=24, nodes=12, mem_mb=768,
                  dist={(a, b): dist12(a, b) for a in range(12) for b in range(a + 1, 12)}),
             renode(lambda i: i // 2, 12, dist12) if rv else None,
             "12 nodes of 2 CPUs: two-digit group and CPU numbers" +
             (" (riscv64 Linux: nodes 4-11 beyond its 4, on node 0)" if rv else "")),
            # Debian's kernels: NR_CPUS 256 (arm64) and 128 (riscv64)
            (f"{arch}-112cpu", arch,
             dict(smp=112, nodes=4, mem_mb=256) if rv else
             dict(smp=112, nodes=4, mem_mb=256, dist=DIST4,
                  node_cpus=[(0, 39), (40, 47), (48, 87), (88, 111)]),
             None, "over 100 CPUs: three-digit CPU numbers" +
             ("" if rv else ", uneven nodes (40, 8, 40, 24)")),
            (f"{arch}-unordered-8cpu", arch, dict(smp=8, nodes=2, mem_mb=512),
             shuffle_cpus(11), "2 nodes, cpu nodes shuffled (not in hwid order)"),
        ]
    # node ids at and beyond arm64 Linux's 16: CPU 1 on node 15 (kept), CPU 2 on node 16
    # (Linux: node 0; pcpurt, built for 64 nodes: its own group)
    ids = {0: 0, 1: 15, 2: 16, 3: 1}
    out.append(("arm64-node-ids-beyond-max", "arm64", dict(smp=4, nodes=2, mem_mb=1024),
                renode(lambda i: ids[i], 17, lambda a, b: 10 if a == b else 20),
                "CPUs on nodes 0, 15, 16, 1: beyond the kernel's MAX_NUMNODES (16)"))
    return out


# ---- one comparison ---------------------------------------------------------------------------
def layout_lines(log):
    """The `percpu: Embedded` line and the first block of `pcpu-alloc:` lines, timestamps
    and carriage returns removed."""
    lines = [re.sub(r"^\[\s*\d+\.\d+\] ", "", l.rstrip("\r")) for l in log.split("\n")]
    emb = next((l for l in lines if l.startswith("percpu: Embedded ")), None)
    alloc = []
    for l in lines:
        if l.startswith("pcpu-alloc: "):
            alloc.append(l)
        elif alloc:
            break
    return ([emb] if emb else []) + alloc


def boot_hwid(log, linux, arch):
    if linux and arch == "arm64":
        m = re.search(r"Booting Linux on physical CPU (0x[0-9a-f]+)", log)
        return int(m.group(1), 16) if m else None
    if linux:
        m = re.search(r"^Boot HART ID\s*:\s*(\d+)", log, re.M)
        return int(m.group(1)) if m else None
    m = re.search(r"boot CPU hwid (0x[0-9a-f]+)", log)
    return int(m.group(1), 16) if m else None


def compare(name, arch, kw, tree, linux):
    """Boot Linux (linux=True) or pcpurt on the machine; a list of problems and a summary."""
    try:
        return compare_one(name, arch, kw, tree, linux)
    except Exception as e:  # a broken machine fails, the others go on
        return [f"{'linux' if linux else 'pcpurt'}: runner error: {e}"], "error"


def compare_one(name, arch, kw, tree, linux):
    if tree is None:
        raise RuntimeError("no tree (see above)")
    who = "linux" if linux else "pcpurt"
    image = os.path.join("build", "linux", arch, "Image") if linux else None
    append = "loglevel=8 earlycon" if linux else "run=dt"
    extra = SINGLE if kw["smp"] > SINGLE_ABOVE else []
    boot = qemu.Boot(arch, append=append, image=image, dtb=tree, stop_on=STOP, extra=extra, **kw)
    log_path = os.path.join(OUT, f"{name}.{who}.log")
    status, log, secs = qemu.run(boot, TIMEOUT, log_path)
    got = layout_lines(log)
    if status != "stopped" or len(got) < 3:
        return [f"{who}: no pcpu-alloc lines (status {status}, {secs:.0f} s): see {log_path}"], \
            f"{who} {secs:.1f}s"
    m = re.match(r"percpu: Embedded \d+ pages/cpu s(\d+) r(\d+) d(\d+) u(\d+)$", got[0])
    hwid = boot_hwid(log, linux, arch)
    if not m or hwid is None:
        return [f"{who}: no static size or boot CPU in {log_path}"], f"{who} {secs:.1f}s"
    cmd = [LAYOUT, "--static", m.group(1), "--reserved", m.group(2), "--boot-hwid", hex(hwid)]
    cmd += ["--max-nodes", str(KERNEL_MAX_NODES[arch])] if linux else []
    cmd.append(tree)
    lay = subprocess.run(cmd, capture_output=True, text=True)
    with open(os.path.join(OUT, f"{name}.{who}.pcpu-layout"), "w") as f:
        f.write("# " + " ".join(cmd) + "\n" + lay.stdout + lay.stderr)
    want = lay.stdout.rstrip("\n").split("\n")
    why = []
    if lay.returncode != 0:
        why.append(f"{who}: pcpu-layout failed: {lay.stderr.strip()}")
    elif got != want:
        why.append(f"{who}: {len(got)} lines, pcpu-layout {len(want)}; first difference:")
        for g, w in zip(got + [""] * len(want), want + [""] * len(got)):
            if g != w:
                why += [f"  {who:11s} {g!r}", f"  pcpu-layout {w!r}"]
                break
    return why, f"{who} s{m.group(1)} r{m.group(2)} boot {hwid:#x}: {len(got)} lines " \
                f"{'equal' if not why else 'DIFFER'} ({secs:.1f}s)"


def prepare(machine):
    """Dump (and edit) the machine's tree: its path (None when that failed: said here, and
    both boots of the machine then fail)."""
    name, arch, kw, edit, _ = machine
    tree = os.path.join(OUT, f"{name}.dtb")
    try:
        qemu.dump_dtb(qemu.Boot(arch, **kw), tree)
        edit_tree(tree, tree, edit)
    except Exception as e:
        print(f"linux-parity: {name}: no tree: {e}")
        return None
    return tree


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="only machines whose name contains this")
    ap.add_argument("-j", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    todo = [m for m in machines() if args.k in m[0]]
    if args.list:
        for m in todo:
            print(f"{m[0]:32s} {m[4]}")
        return 0
    for arch in sorted({m[1] for m in todo}):
        with open(os.path.join("build", "linux", arch, "version")) as f:
            print(f"linux-parity: {arch}: {f.read().strip()}")
    os.makedirs(OUT, exist_ok=True)
    t0 = time.monotonic()
    trees = {m[0]: prepare(m) for m in todo}
    jobs = [(m, linux) for m in todo for linux in (True, False)]
    with cf.ThreadPoolExecutor(max_workers=args.j) as ex:
        # the largest machines first: the small ones fill in around them
        order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0][2]["smp"])
        futures = {i: ex.submit(compare, jobs[i][0][0], jobs[i][0][1], jobs[i][0][2],
                                trees[jobs[i][0][0]], jobs[i][1]) for i in order}
        results = [futures[i].result() for i in range(len(jobs))]
    failed = 0
    for i, m in enumerate(todo):
        why = results[2 * i][0] + results[2 * i + 1][0]
        failed += bool(why)
        print(f"{'FAIL' if why else 'PASS'} {m[0]:30s} {m[4]}")
        for _, summary in results[2 * i:2 * i + 2]:
            print(f"     {summary}")
        for w in why:
            print(f"     {w}")
    print(f"linux-parity: {len(todo)} machines, {len(jobs)} boots in "
          f"{time.monotonic() - t0:.0f}s: {len(todo) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
