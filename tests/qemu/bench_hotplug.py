#!/usr/bin/env python3
"""bench_hotplug.py - CPU down/up latency of pcpurt and of Debian's Linux kernel on the same
QEMU machine, and pcpurt's cross-CPU call latency (`make bench-hotplug`, part of
`make bench`). Writes docs/benchmarks-hotplug.md and prints the same table.

Linux: the kernel scripts/linux-kernels.sh caches (${PCPURT_CACHE:-/var/cache/pcpurt}/linux/
<arch>/Image), booted with a tiny initramfs whose /init is tests/bench/linux_hotplug_init.c
(built here with clang, no C library: it mounts sysfs and proc, times each write to
/sys/devices/system/cpu/cpuN/online with CLOCK_MONOTONIC, powers off). No shell is needed
for that, so the initramfs holds nothing else (/dev/console, /sys, /proc).
pcpurt: `run=cpu-hotplug hotplug_workers=0` (the other CPUs idle, as in the Linux run) and
`run=smp-call`. Same -smp, memory and QEMU for both. Benchmarks are not tests: nothing is
asserted; the exit status is nonzero only when a part could not run.

  tests/qemu/bench_hotplug.py [--arch A ...] [--smp N] [--cycles N] [--out FILE]
"""
import argparse
import os
import re
import statistics
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "build", "bench")
CACHE = os.environ.get("PCPURT_CACHE", "/var/cache/pcpurt")
HELPER = os.path.join(ROOT, "tests", "bench", "linux_hotplug_init.c")
TARGET = {"arm64": "aarch64-linux-gnu", "riscv64": "riscv64-linux-gnu"}
RV_FLAGS = ["-march=rv64imac", "-mabi=lp64", "-mno-relax"]


def build_helper(arch):
    out = os.path.join(OUTDIR, f"linux-hotplug-init-{arch}")
    cmd = ["clang", f"--target={TARGET[arch]}", "-ffreestanding", "-fno-stack-protector",
           "-fno-pic", "-O2", "-Wall", "-Wextra", "-Werror", "-nostdlib", "-static",
           "-fuse-ld=lld", "-Wl,-e,_start", "-o", out, HELPER]
    if arch == "riscv64":
        cmd[2:2] = RV_FLAGS
    subprocess.run(cmd, check=True)
    return out


def cpio_entry(name, mode, data=b"", rdev=(0, 0), ino=1):
    """One newc record: header, name (NUL, padded to 4), data (padded to 4)."""
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    rec = hdr + name.encode() + b"\0"
    rec += b"\0" * (-len(rec) % 4) + data
    return rec + b"\0" * (-len(rec) % 4)


def make_initramfs(arch):
    init = build_helper(arch)
    with open(init, "rb") as f:
        data = f.read()
    recs = [cpio_entry(".", 0o040755, ino=1), cpio_entry("dev", 0o040755, ino=2),
            cpio_entry("dev/console", 0o020600, rdev=(5, 1), ino=3),
            cpio_entry("sys", 0o040755, ino=4), cpio_entry("proc", 0o040755, ino=5),
            cpio_entry("init", 0o100755, data, ino=6), cpio_entry("TRAILER!!!", 0, ino=0)]
    out = os.path.join(OUTDIR, f"linux-hotplug-{arch}.cpio")
    blob = b"".join(recs)
    with open(out, "wb") as f:
        f.write(blob + b"\0" * (-len(blob) % 512))
    return out


def linux_cmd(arch, smp, initrd, cycles):
    image = os.path.join(CACHE, "linux", arch, "Image")
    if arch == "arm64":
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72"]
        console = "ttyAMA0"
    else:
        cmd = ["qemu-system-riscv64", "-M", "virt", "-bios", "default"]
        console = "ttyS0"
    return cmd + ["-smp", str(smp), "-m", "1024M", "-nographic", "-no-reboot", "-nic", "none",
                  "-kernel", image, "-initrd", initrd, "-append",
                  f"console={console} quiet hotplug_cycles={cycles}"]


def run(cmd, timeout, env=None):
    t0 = time.time()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout, env=env)
    return p.stdout.decode(errors="replace"), time.time() - t0


def stats(v):
    if not v:
        return None
    return min(v), statistics.median(v), max(v), len(v)


def linux_side(arch, smp, cycles, log):
    image = os.path.join(CACHE, "linux", arch, "Image")
    if not os.path.exists(image):
        return None, None, f"no {image}: run scripts/linux-kernels.sh"
    out, _ = run(linux_cmd(arch, smp, make_initramfs(arch), cycles), 600)
    with open(log, "w") as f:
        f.write(out)
    down, up, errors = [], [], 0
    for m in re.finditer(r"linux-hotplug: cpu=\d+ down_us=(\d+) up_us=(\d+)( error)?", out):
        if m.group(3):
            errors += 1
            continue
        down.append(int(m.group(1)))
        up.append(int(m.group(2)))
    why = None if "linux-hotplug: end" in out else f"no end line (see {log})"
    if errors:
        why = f"{errors} writes failed (see {log})"
    return stats(down), stats(up), why


def pcpurt_side(arch, smp, cycles, log):
    b = qemu.Boot(arch, smp=smp, append=f"run=cpu-hotplug,smp-call hotplug_workers=0 "
                  f"hotplug_cycles={cycles * (smp - 1)}")
    out, _ = run(b.command(), 600, b.stack.env())
    with open(log, "w") as f:
        f.write(out)
    res = {}
    for what in ("cpu_down", "cpu_up"):
        m = re.search(rf"cpu-hotplug: {what} us min/median/max (\d+)/(\d+)/(\d+) over (\d+)",
                      out)
        res[what] = tuple(int(x) for x in m.groups()) if m else None
    m = re.search(r"smp-call: (\d+) calls on \d+ CPUs.*latency us min/median/max "
                  r"(\d+)/(\d+)/(\d+) \((\d+) waited", out)
    res["call"] = (int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))) \
        if m else None
    why = None if "RESULT: PASS" in out else f"no RESULT: PASS (see {log})"
    return res, why


def fmt(s):
    return "-" if not s else f"{s[0]:.0f} / {s[1]:.0f} / {s[2]:.0f} ({s[3]})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", action="append", choices=["arm64", "riscv64"])
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--cycles", type=int, default=5, help="rounds over CPUs 1..N-1")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-hotplug.md"))
    a = ap.parse_args()
    os.makedirs(OUTDIR, exist_ok=True)
    rows, failed = [], 0
    for arch in a.arch or ["arm64", "riscv64"]:
        ld, lu, lwhy = linux_side(arch, a.smp, a.cycles,
                                  os.path.join(OUTDIR, f"hotplug-linux-{arch}.log"))
        p, pwhy = pcpurt_side(arch, a.smp, a.cycles,
                              os.path.join(OUTDIR, f"hotplug-pcpurt-{arch}.log"))
        for why in (lwhy, pwhy):
            if why:
                print(f"bench-hotplug: {arch}: {why}")
                failed += 1
        ratio = "-"
        if ld and lu and p["cpu_down"] and p["cpu_up"]:
            ratio = f"{(ld[1] + lu[1]) / max(1, p['cpu_down'][1] + p['cpu_up'][1]):.0f}x"
        rows.append((arch, fmt(ld), fmt(lu), fmt(p["cpu_down"]), fmt(p["cpu_up"]), ratio,
                     fmt(p["call"])))
    head = ("| arch | Linux offline us | Linux online us | pcpurt cpu_down us | "
            "pcpurt cpu_up us | down+up, Linux / pcpurt (medians) | pcpurt call latency us |")
    lines = [head, "|" + "---|" * 7]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    qv = subprocess.run(["qemu-system-aarch64", "--version"], stdout=subprocess.PIPE,
                        text=True).stdout.split("\n")[0]
    doc = ["# CPU hotplug and cross-CPU call benchmark", "",
           "Made by `make bench-hotplug` (tests/qemu/bench_hotplug.py) on "
           f"{time.strftime('%Y-%m-%d')}, {qv}, -smp {a.smp}, {a.cycles} rounds over CPUs 1.."
           f"{a.smp - 1}. min / median / max (samples). Linux: Debian's kernel "
           f"(`{CACHE}/linux/<arch>/version`), each write to /sys/devices/system/cpu/cpuN/"
           "online timed in its /init; pcpurt: `run=cpu-hotplug hotplug_workers=0` (others "
           "idle, as in Linux) and `run=smp-call` (waited calls, all CPUs calling at once). "
           "The target is a down-and-up cycle at least 10 times faster than Linux's. Linux "
           "has no user-space way to time one cross-CPU call, so that column is pcpurt's "
           "alone. Numbers from an emulator on a shared host: compare within a row.", ""]
    doc += lines
    print("\n".join(lines))
    with open(a.out, "w") as f:
        f.write("\n".join(doc) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
