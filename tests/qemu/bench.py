#!/usr/bin/env python3
"""bench.py - the per-CPU allocator benchmark in one run (`make bench`): the host tool, then
the runtime workload `run=percpu-bench` in QEMU (arm64 and riscv64), tables on stdout and
its own sections of docs/benchmarks.md (those of bench_stacks.py and bench_hotplug.py are
kept) with the numbers, the ratios and the issue's targets.

Both sides print the same `bench: key=value ... [reason=free text]` lines (the host tool with
-r, the workload on the console; the format is pcpu_bench_format() in tests/target/bench_core.c).
Benchmarks are not tests: no time is asserted. The exit status is nonzero only when a part
could not run at all (tool missing, QEMU timed out or crashed before its `bench: end` line).

  tests/qemu/bench.py [--host-tool PATH] [--no-host] [--host-raw FILE] [--arch A ...]
                      [--no-qemu] [--budget S] [--fill S] [--fd S] [--measure-ms MS]
                      [--mem-mb MB]
                      [-j JOBS] [--out FILE]
"""
import argparse
import concurrent.futures as cf
import datetime
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_doc  # noqa: E402
import qemu  # noqa: E402
from bench_report import Platform, markdown, print_platform, print_targets  # noqa: E402

OUTDIR = os.path.join("build", "bench")
# bench.py's part of docs/benchmarks.md: the title markdown() writes first, then its sections
# (platform titles are "Host" and "QEMU <arch> ..."); bench_vm.py's section is replaced apart
TITLE = "# Per-CPU allocator benchmarks"
OWNED = ("## Method", "## Targets (issue 4)", "## Host", "## QEMU ")


# ---- running ---------------------------------------------------------------------------

def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


def save_meta(p, path):
    """Run time and load average next to a log, for --host-raw / --qemu-log later."""
    with open(path + ".meta", "w") as f:
        json.dump({"seconds": p.seconds, "load": p.load}, f)


def load_meta(p, path):
    try:
        with open(path + ".meta") as f:
            m = json.load(f)
        p.seconds, p.load = m["seconds"], tuple(m["load"])
    except (OSError, ValueError, KeyError, TypeError):
        pass


def run_host(args):
    p = Platform("host", "Host")
    os.makedirs(OUTDIR, exist_ok=True)
    raw = args.host_raw or os.path.join(OUTDIR, "host.txt")
    if not args.host_raw:
        cmd = [args.host_tool, "-r", raw] + args.host_args.split()
        print("+ " + " ".join(cmd), flush=True)
        p.load = (loadavg(), None)
        t0 = time.monotonic()
        # progress goes to stderr; the tool's own table (stdout) is kept in a file, the
        # combined tables below show the same numbers
        with open(os.path.join(OUTDIR, "host-table.txt"), "w") as out:
            rc = subprocess.run(cmd, stdout=out).returncode
        p.seconds = time.monotonic() - t0
        p.load = (p.load[0], loadavg())
        save_meta(p, raw)
        if rc:
            p.problem = f"{args.host_tool} exited with status {rc}"
            return p
    else:
        load_meta(p, raw)
    try:
        with open(raw) as f:
            p.parse(f.read())
    except OSError as e:
        p.problem = str(e)
    if not p.end and not p.problem:
        p.problem = f"no `bench: end` line in {raw}"
    p.log = raw
    return p


def qemu_append(args):
    return (f"run=percpu-bench percpu_bench_budget={args.budget} "
            f"percpu_bench_fill={args.fill} percpu_bench_measure_ms={args.measure_ms} "
            f"percpu_bench_fd={args.fd}")


def run_qemu(arch, args):
    p = Platform(f"qemu-{arch}", f"QEMU {arch} (virt, TCG, 1 CPU)")
    p.mem_mb, p.append = args.mem_mb, qemu_append(args)
    logs = dict(x.split("=", 1) for x in args.qemu_log or [])
    if arch in logs:
        # an earlier run's log (written by qemu.run: the command line, then the console)
        p.log = logs[arch]
        with open(p.log, errors="replace") as f:
            first, text = f.readline(), f.read()
        m = re.search(r" -m (\d+)M", first)
        p.mem_mb = int(m.group(1)) if m else p.mem_mb
        m = re.search(r"-append (.*)$", first)
        p.append = m.group(1).strip() if m else p.append
        p.parse(text)
        load_meta(p, p.log)
        if not p.end:
            p.problem = f"no `bench: end` line in {p.log}"
        return p
    boot = qemu.Boot(arch, smp=1, mem_mb=args.mem_mb, append=p.append)
    image = boot.image()
    if not os.path.exists(image):
        p.problem = f"{image} missing (make ARCH={arch})"
        return p
    os.makedirs(OUTDIR, exist_ok=True)
    p.log = os.path.join(OUTDIR, f"qemu-{arch}.log")
    # the workload stops starting cases at its budget; a case under way may still take its
    # fill budget and two capped timed phases, then teardown and boot
    timeout = args.budget + args.fill + 2 * args.fd + 180
    p.load = (loadavg(), None)
    status, text, secs = qemu.run(boot, timeout, p.log)
    p.load = (p.load[0], loadavg())
    p.seconds = secs
    save_meta(p, p.log)
    p.parse(text)
    if status is None:
        p.problem = f"QEMU timed out after {timeout} s"
    elif not p.end:
        p.problem = f"QEMU exited with status {status} before `bench: end`"
    elif not re.search(r"^RESULT: PASS", text, re.M):
        p.problem = "the run did not end with RESULT: PASS"
    return p


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host-tool", default=os.path.join("build", "host", "percpu-bench"))
    ap.add_argument("--host-args", default="", help="extra arguments to the host tool")
    ap.add_argument("--host-raw", help="use these host results instead of running the tool")
    ap.add_argument("--no-host", action="store_true")
    ap.add_argument("--arch", action="append", choices=["arm64", "riscv64"])
    ap.add_argument("--no-qemu", action="store_true")
    ap.add_argument("--qemu-log", action="append", metavar="ARCH=FILE",
                    help="read this earlier log (build/bench/qemu-ARCH.log) instead of booting")
    ap.add_argument("--budget", type=int, default=480, help="seconds per QEMU run")
    ap.add_argument("--fd", type=int, default=30,
                    help="seconds per fill-and-drain measurement in QEMU (0: off)")
    ap.add_argument("--fill", type=int, default=90, help="seconds per fill in QEMU")
    ap.add_argument("--measure-ms", type=int, default=150, help="per timed phase in QEMU")
    ap.add_argument("--mem-mb", type=int, default=4096, help="QEMU memory")
    ap.add_argument("-j", "--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)),
                    help="QEMU runs at once")
    ap.add_argument("--out", default=os.path.join("docs", "benchmarks.md"))
    ap.add_argument("--no-vm", action="store_true", help="skip the boot time / km-vm part")
    ap.add_argument("--no-stacks", action="store_true",
                    help="skip the boot time on both QEMU stacks (bench_stacks.py)")
    args = ap.parse_args()
    started = datetime.datetime.now().astimezone()
    t0 = time.monotonic()
    plats = []
    if not args.no_host:
        if not args.host_raw and not os.path.exists(args.host_tool):
            print(f"bench: {args.host_tool} missing (make {args.host_tool})", file=sys.stderr)
            return 1
        print("== host: tools/percpu-bench ==", flush=True)
        plats.append(run_host(args))
    if not args.no_qemu:
        arches = args.arch or ["arm64", "riscv64"]
        print(f"== QEMU: run=percpu-bench on {', '.join(arches)}, {args.jobs} at a time, "
              f"up to {args.budget} s each (logs in {OUTDIR}/) ==", flush=True)
        with cf.ThreadPoolExecutor(max_workers=args.jobs) as ex:
            futs = [ex.submit(run_qemu, a, args) for a in arches]
            for a, f in zip(arches, futs):
                p = f.result()
                done = sum(1 for r in p.rows.values() if r.get("status") == "done")
                print(f"  {a}: {done} of {len(p.rows)} cases measured in {p.seconds or 0:.0f} s"
                      + (f"; {p.problem}" if p.problem else ""), flush=True)
                plats.append(p)
    for p in plats:
        print_platform(p)
    print_targets(plats)
    host_cmd = " ".join([args.host_tool, "-r", "build/bench/host.txt"] + args.host_args.split())
    text = markdown(plats, host_cmd, started)
    vm_md = None
    if not args.no_qemu and not args.no_vm:
        import bench_vm
        print("== QEMU: boot time and km/vm stress ==", flush=True)
        vm_text, vm_md = bench_vm.run(args.arch or ["arm64", "riscv64"], args.jobs)
        print(vm_text)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    # bench.py's part is the head of the file; the other sections (bench_vm.py's,
    # bench_stacks.py's, bench_hotplug.py's) are kept, and replaced by the ones run here
    bench_doc.replace_section(args.out, text, TITLE, OWNED, first=True)
    if vm_md is not None:
        bench_doc.replace_section(args.out, vm_md, bench_vm.TITLE)
    if not args.no_qemu and not args.no_stacks:
        import bench_stacks
        st_text, st_md = bench_stacks.run()
        print(st_text)
        bench_doc.replace_section(args.out, st_md, bench_stacks.TITLE)
    print(f"\nbench: wrote {args.out} in {time.monotonic() - t0:.0f} s")
    return 1 if any(p.problem for p in plats) else 0


if __name__ == "__main__":
    sys.exit(main())
