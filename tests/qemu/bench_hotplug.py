#!/usr/bin/env python3
"""bench_hotplug.py - CPU down/up latency of pcpurt and of Debian's Linux kernel on the same
QEMU machine, and pcpurt's cross-CPU call latency (`make bench-hotplug`, part of
`make bench`). Replaces its own section of docs/benchmarks.md (after bench.py wrote the
rest) and prints the same tables.

Linux: the kernel scripts/linux-kernels.sh caches (${PCPURT_CACHE:-/var/cache/pcpurt}/linux/
<arch>/Image), booted with a tiny initramfs (newc cpio written here): Debian's busybox-static
for that arch (scripts/busybox-static.sh), whose shell runs /init (mounts sysfs and proc),
then execs tests/bench/linux_hotplug_init.c (built here with clang, no C library), which
times each write to /sys/devices/system/cpu/cpuN/online with CLOCK_MONOTONIC and powers off.
pcpurt: `run=cpu-hotplug hotplug_workers=0` (the other CPUs idle, as in the Linux run) and
`run=smp-call`. Same -smp, memory and QEMU for both. A cycle is one CPU's down and up
(Linux: the two writes of one line; pcpurt: its `cycle` line). The issue's target (a cycle
at least 10 times faster than Linux's, medians) is reported met or not met: benchmarks are
not tests, nothing is asserted; the exit status is nonzero only when a part could not run.

  tests/qemu/bench_hotplug.py [--arch A ...] [--smp N] [--cycles N] [--out FILE] [--no-write]
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
import bench_doc  # noqa: E402
import qemu  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "build", "bench")
CACHE = os.environ.get("PCPURT_CACHE", "/var/cache/pcpurt")
HELPER = os.path.join(ROOT, "tests", "bench", "linux_hotplug_init.c")
TARGET = {"arm64": "aarch64-linux-gnu", "riscv64": "riscv64-linux-gnu"}
RV_FLAGS = ["-march=rv64imac", "-mabi=lp64", "-mno-relax"]
TITLE = "## CPU hotplug and cross-CPU calls, beside Linux (issue 14)"


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


INIT = b"""#!/bin/busybox sh
# /init of bench_hotplug.py's initramfs: busybox sets the machine up, the helper times
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t proc proc /proc
echo "linux-hotplug: $(/bin/busybox | /bin/busybox head -n 1)"
exec /bin/linux-hotplug
"""


def busybox(arch):
    """Debian's busybox-static for arch (scripts/busybox-static.sh fetches it once)."""
    path = os.path.join(CACHE, "busybox", arch, "busybox")
    subprocess.run([os.path.join(ROOT, "scripts", "busybox-static.sh"), arch], check=True,
                   stdout=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return f.read()


def make_initramfs(arch):
    """newc cpio: /init (a busybox script), /bin/busybox, /bin/sh, /bin/linux-hotplug."""
    with open(build_helper(arch), "rb") as f:
        helper = f.read()
    ents = [(".", 0o040755, b"", (0, 0)), ("bin", 0o040755, b"", (0, 0)),
            ("bin/busybox", 0o100755, busybox(arch), (0, 0)),
            ("bin/sh", 0o120777, b"busybox", (0, 0)),
            ("bin/linux-hotplug", 0o100755, helper, (0, 0)),
            ("dev", 0o040755, b"", (0, 0)), ("dev/console", 0o020600, b"", (5, 1)),
            ("sys", 0o040755, b"", (0, 0)), ("proc", 0o040755, b"", (0, 0)),
            ("init", 0o100755, INIT, (0, 0))]
    recs = [cpio_entry(n, m, d, rdev=r, ino=i + 1) for i, (n, m, d, r) in enumerate(ents)]
    recs.append(cpio_entry("TRAILER!!!", 0, ino=0))
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
    """Boots Linux; returns ({"down"|"up"|"cycle": stats}, why-not-measured or None)."""
    image = os.path.join(CACHE, "linux", arch, "Image")
    if not os.path.exists(image):
        return {}, f"no {image}: run scripts/linux-kernels.sh"
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
    return {"down": stats(down), "up": stats(up),
            "cycle": stats([d + u for d, u in zip(down, up)])}, why


def pcpurt_side(arch, smp, cycles, log):
    """Boots pcpurt; returns ({"down"|"up"|"cycle"|"call": stats}, why-not or None)."""
    b = qemu.Boot(arch, smp=smp, append=f"run=cpu-hotplug,smp-call hotplug_workers=0 "
                  f"hotplug_cycles={cycles * (smp - 1)}")
    out, _ = run(b.command(), 600, b.stack.env())
    with open(log, "w") as f:
        f.write(out)
    res = {}
    for key, what in (("down", "cpu_down"), ("up", "cpu_up"), ("cycle", "cycle")):
        m = re.search(rf"cpu-hotplug: {what} us min/median/max (\d+)/(\d+)/(\d+) over (\d+)",
                      out)
        res[key] = tuple(int(x) for x in m.groups()) if m else None
    m = re.search(r"smp-call: (\d+) calls on \d+ CPUs.*latency us min/median/max "
                  r"(\d+)/(\d+)/(\d+) \((\d+) waited", out)
    res["call"] = (int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))) \
        if m else None
    why = None if "RESULT: PASS" in out else f"no RESULT: PASS (see {log})"
    return res, why


def fmt(s):
    """median (min-max, samples), in us as both sides print them"""
    return "-" if not s else f"{s[1]:.0f} ({s[0]:.0f}-{s[2]:.0f}, {s[3]})"


def arch_table(arch, lx, pc):
    """Markdown rows of one arch, and the target's verdict."""
    rows = ["| step | Linux us: median (min-max, n) | pcpurt us: median (min-max, n) | "
            "Linux / pcpurt |", "|---|---|---|---|"]
    for key, name in (("down", "CPU down (offline)"), ("up", "CPU up (online)"),
                      ("cycle", "cycle: down + up")):
        ls, ps = lx.get(key), pc.get(key)
        ratio = f"{ls[1] / max(1, ps[1]):.0f}x" if ls and ps else "-"
        rows.append(f"| {name} | {fmt(ls)} | {fmt(ps)} | {ratio} |")
    rows.append(f"| cross-CPU call (waited) | no user-space timer | {fmt(pc.get('call'))} | - |")
    ls, ps = lx.get("cycle"), pc.get("cycle")
    if ls and ps:
        r = ls[1] / max(1, ps[1])
        verdict = f"{'met' if r >= 10 else 'not met'} ({r:.0f}x)"
    else:
        verdict = "not measured"
    return rows, verdict


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", action="append", choices=["arm64", "riscv64"])
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--cycles", type=int, default=10, help="rounds over CPUs 1..N-1")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    os.makedirs(OUTDIR, exist_ok=True)
    failed = 0
    qv = subprocess.run(["qemu-system-aarch64", "--version"], stdout=subprocess.PIPE,
                        text=True).stdout.split("\n")[0]
    doc = [TITLE, "",
           "Made by `make bench-hotplug` (tests/qemu/bench_hotplug.py, also run by `make bench`) "
           f"on {time.strftime('%Y-%m-%d %H:%M %Z')}, {qv}, QEMU virt, -smp {a.smp}, 1024 MiB, "
           f"one node, {a.cycles} rounds over CPUs 1..{a.smp - 1} "
           f"({a.cycles * (a.smp - 1)} cycles) on each side. Linux: Debian's kernel "
           f"(`{CACHE}/linux/<arch>/version`, from scripts/linux-kernels.sh), each write to "
           "/sys/devices/system/cpu/cpuN/online timed with CLOCK_MONOTONIC by a static helper "
           "(tests/bench/linux_hotplug_init.c) that the initramfs's /init, a script of "
           "Debian's busybox-static (`scripts/busybox-static.sh`), starts; pcpurt: "
           "`run=cpu-hotplug hotplug_workers=0` (the other CPUs idle, as under Linux) and `run=smp-call` "
           "(waited calls, every CPU calling at once). A cycle is one CPU's down and up. "
           "Target (issue 14): a cycle at least 10 times faster than Linux's, medians. Linux "
           "has no user-space way to time one cross-CPU call, so that row is pcpurt's alone. "
           "An emulator on a shared 2-core host: compare within a table.", ""]
    text = []
    for arch in a.arch or ["arm64", "riscv64"]:
        lx, lwhy = linux_side(arch, a.smp, a.cycles,
                              os.path.join(OUTDIR, f"hotplug-linux-{arch}.log"))
        pc, pwhy = pcpurt_side(arch, a.smp, a.cycles,
                               os.path.join(OUTDIR, f"hotplug-pcpurt-{arch}.log"))
        for who, why in (("Linux", lwhy), ("pcpurt", pwhy)):
            if why:
                print(f"bench-hotplug: {arch}: {who}: {why}")
                failed += 1
        ver = "?"
        try:
            with open(os.path.join(CACHE, "linux", arch, "version")) as f:
                ver = f.read().strip().replace("Package: ", "").replace(" Version:", "")
        except OSError:
            pass
        rows, verdict = arch_table(arch, lx, pc)
        part = [f"### {arch} (Linux: {ver})", ""] + rows + \
            ["", f"Target, a down-and-up cycle at least 10x faster than Linux's: **{verdict}**.",
             ""]
        text += part
        doc += part
    try:
        with open("/proc/loadavg") as f:
            doc.append(f"Host load average at the end: {f.read().split()[0]}.")
    except OSError:
        pass
    print("\n".join(text))
    if not a.no_write:
        bench_doc.replace_section(a.out, "\n".join(doc) + "\n", TITLE)
        print(f"bench-hotplug: wrote its section of {a.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
