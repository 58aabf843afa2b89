#!/usr/bin/env python3
"""bench_stacks.py - boot time to all CPUs online on both QEMU stacks (Debian 12's QEMU 7.2 +
OpenSBI 1.1, Debian 13's QEMU 10.0 + OpenSBI 1.6): part of `make bench` (bench.py calls
run()), or alone, which measures and replaces its own section of docs/benchmarks.md:

  tests/qemu/bench_stacks.py [--reps N] [--out docs/benchmarks.md] [--no-write]

Each configuration boots REPS times, one QEMU at a time (the times are wall-clock
sensitive); the table gives the median and the spread. "Online after reset" is what the
runtime prints (`smp: all online N us after reset`): the architecture counter starts at
reset, so on riscv64 it includes OpenSBI's cold boot. "QEMU wall" is the whole process, QEMU's
own start-up and power-off included. Nothing is asserted.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_doc  # noqa: E402
import qemu  # noqa: E402

ONLINE = re.compile(r"^smp: all online (\d+) us after reset", re.M)
BROUGHT = re.compile(r"^smp: Brought up \d+ nodes?, (\d+) CPUs?", re.M)
# (arch, CPUs, NUMA nodes, load address on the current stack): riscv64 128 harts need the
# Image above OpenSBI 1.6's per-hart data (docs/decisions.md); OpenSBI 1.1 takes it in place
CONFIGS = [("arm64", 4, 1, None), ("arm64", 64, 4, None), ("riscv64", 4, 1, None),
           ("riscv64", 64, 4, None), ("riscv64", 128, 4, 0x80400000)]
TITLE = "## Boot time on both QEMU stacks (issue 12)"


def version(stack, arch):
    s = qemu.get_stack(stack)
    try:
        out = subprocess.run(s.qemu(arch) + ["--version"], env=s.env(), capture_output=True,
                             text=True, timeout=30).stdout
        return out.splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def boot_once(stack, arch, cpus, nodes, addr):
    b = qemu.Boot(arch, smp=cpus, nodes=nodes, mem_mb=4096 if cpus > 8 else 1024,
                  stack=stack, load_addr=addr if stack == "current" else None,
                  append="run=percpu-identity")
    status, log, secs = qemu.run(b, 300)
    m, br = ONLINE.search(log), BROUGHT.search(log)
    return (int(m.group(1)) if m else None, int(br.group(1)) if br else None, secs, status)


def measure(reps):
    rows = []
    for arch, cpus, nodes, addr in CONFIGS:
        for stack in qemu.Stack.NAMES:
            if qemu.get_stack(stack).missing():
                rows.append([arch, str(cpus), stack, "-", "stack missing", "", ""])
                continue
            runs = [boot_once(stack, arch, cpus, nodes, addr) for _ in range(reps)]
            online = [r[0] / 1000 for r in runs if r[0] is not None]
            walls = [r[2] for r in runs if r[0] is not None]
            up = max((r[1] or 0) for r in runs)
            rows.append([arch, str(cpus), stack, str(up or "-"),
                         f"{statistics.median(online):.0f}" if online else "n/a",
                         f"{min(online):.0f}-{max(online):.0f}" if online else "",
                         f"{statistics.median(walls):.1f}" if walls else
                         f"failed ({runs[0][3]})"])
            print("  " + "  ".join(rows[-1]), flush=True)
    return rows


def run(reps=3):
    """Measures; returns (text for the console, markdown section)."""
    head = ["arch", "CPUs", "stack", "CPUs up", "online after reset (ms, median)",
            "range (ms)", "QEMU wall (s, median)"]
    print(f"== QEMU: boot time on both stacks, {reps} boots each, one at a time ==", flush=True)
    rows = measure(reps)
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[0]
    except OSError:
        load = "?"
    vers = [f"- {s}: {version(s, 'arm64')}; riscv64 firmware "
            f"{'OpenSBI 1.1 (QEMU 7.2 -bios default)' if s == 'bookworm' else 'OpenSBI 1.6'}"
            for s in qemu.Stack.NAMES]
    w = [max(len(x) for x in col) for col in zip(head, *rows)]
    text = "\n".join("  ".join(x.ljust(n) for x, n in zip(r, w)) for r in [head] + rows)
    md = (f"{TITLE}\n\n"
          "Boot time from reset to all CPUs online (MMU on, per-CPU areas ready), as the runtime "
          "prints it (`smp: all online N us after reset`), on Debian 12's stack and on the "
          "current one (docs/decisions.md, \"Two QEMU stacks on one Debian 12 machine\"); "
          f"`run=percpu-identity`, each configuration booted {reps} times one at a time: "
          "median and range. On riscv64 the time includes "
          "OpenSBI's cold boot, which is most of it: under QEMU the harts that wait to be "
          "started spin and slow the boot hart down, and OpenSBI 1.1 is far slower at it than "
          "1.6. riscv64 at 128 harts boots on the current stack with the Image at 0x80400000 "
          f"(OpenSBI 1.6 stops at 107 otherwise). Load average at the end: {load} (a shared "
          "2-core machine: other work inflates the times).\n\n" + "\n".join(vers) + "\n\n" +
          "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] +
                    ["| " + " | ".join(r) + " |" for r in rows]) + "\n")
    return "\n=== boot time on both stacks ===\n" + text, md


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=os.path.join("docs", "benchmarks.md"))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    text, md = run(args.reps)
    print(text)
    if not args.no_write:
        bench_doc.replace_section(args.out, md, TITLE)
        print(f"bench_stacks: wrote its section of {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
