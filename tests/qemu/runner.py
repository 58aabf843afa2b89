#!/usr/bin/env python3
"""runner.py - boot each QEMU configuration, read the serial log and the exit status,
and print one line per configuration and a closing "N passed, N failed".

A configuration passes when QEMU exits (no timeout) with the expected status and the log
has the expected RESULT line and every expected pattern. Logs go to build/qemu-tests/.

  tests/qemu/runner.py [-k SUBSTRING] [-j JOBS] [--list]

Cases named <case>@current boot on Debian 13's QEMU 10, OpenSBI 1.6 and U-Boot 2025.01
(qemu.Stack, scripts/stack-current.sh); the others on Debian 12's (-k @current picks them).
"""
import argparse
import concurrent.futures as cf
import copy
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
from fdt_corrupt import corrupt_last_prop_name  # noqa: E402

LOGDIR = os.path.join("build", "qemu-tests")
SHARED_DTB = os.environ.get("PCPURT_DTB_DIR",
                            os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                         "..", "..", "..", "shared", "dtb"))


class Case:
    def __init__(self, name, boot, status=0, result="PASS", expect=(), reject=(), timeout=60,
                 prepare=None, alone=False, max_secs=None, counts=None, after=None, run=None):
        self.name = name
        self.boot = boot
        self.status = status          # expected QEMU exit status
        self.result = result          # "PASS" or "FAIL"
        self.expect = list(expect)    # regexes that must appear in the log
        self.reject = list(reject)    # regexes that must not
        self.timeout = timeout
        self.prepare = prepare        # callable(case) run before the boot
        self.alone = alone            # runs by itself, after the others: its vCPUs would
        #                               starve a case run beside it on a small host
        self.max_secs = max_secs      # QEMU's whole run, start-up included, must end sooner
        self.counts = counts or {}    # regex: how many lines must match it
        self.after = after            # callable(case, log) run after the boot: a list of
        #                               problems (empty when fine), added to the check's
        self.run = run                # callable(case) -> (status, log, secs) instead of
        #                               the boot (a build); result None: no RESULT line


def corrupt_dtb(case):
    """Give the boot a corrupt copy of the tree QEMU would generate for it."""
    good = os.path.join(LOGDIR, case.name + ".good.dtb")
    bad = os.path.join(LOGDIR, case.name + ".bad.dtb")
    qemu.dump_dtb(case.boot, good)
    with open(good, "rb") as f:
        data = f.read()
    with open(bad, "wb") as f:
        f.write(corrupt_last_prop_name(data))
    case.boot.dtb = bad


def edited_tree(*fdtput_args):
    """A prepare step: boot with the tree QEMU would generate, edited by one fdtput call
    (its arguments, with the file left out)."""
    def prepare(case):
        tree = os.path.join(LOGDIR, case.name + ".dtb")
        qemu.dump_dtb(case.boot, tree)
        subprocess.run(["fdtput", fdtput_args[0], tree, *fdtput_args[1:]], check=True)
        case.boot.dtb = tree
    return prepare


# no /chosen/stdout-path: the platform default console
no_stdout_path = edited_tree("-d", "/chosen", "stdout-path")


def exit_ok_for(arch, status):
    """riscv's finisher and arm64's semihosting both report the status itself."""
    return status


def cases():
    out = []
    B = qemu.Boot
    for arch in ("arm64", "riscv64"):
        banner = [r"pcpurt \S+ \(" + arch, r"Machine model: ", r"Console: \S+ at 0x"]
        out += [
            Case(f"{arch}-elf-1cpu", B(arch, smp=1, how="elf"),
                 expect=banner + [r"run: \d+ of \d+ registered tests ran, \d+ passed"]),
            Case(f"{arch}-image-4cpu-2node", B(arch, smp=4, nodes=2, mem_mb=2048,
                                              append="run=dt,mmu,trap"),
                 expect=banner + [r"NUMA: 2 nodes, distances from /distance-map",
                                  r"Kernel command line: run=dt,mmu,trap"]),
            Case(f"{arch}-image-1cpu", B(arch, smp=1), expect=banner),
            Case(f"{arch}-uboot-1cpu", B(arch, smp=1, how="uboot", append="run=dt,mmu"),
                 expect=banner + ["Starting kernel", r"Kernel command line: run=dt,mmu"]),
            Case(f"{arch}-uboot-4cpu", B(arch, smp=4, how="uboot"),
                 expect=banner + ["Starting kernel", r"CPUs: 4 in the device tree"]),
            # "within a second": QEMU's start-up and OpenSBI are in the 3 s
            Case(f"{arch}-corrupt-dtb", B(arch, smp=1, how="image"), status=3,
                 result="FAIL", prepare=corrupt_dtb,
                 expect=[r"FATAL: device tree: FDT_ERR_\w+"], reject=[r"Machine model"],
                 timeout=30, max_secs=3),
            Case(f"{arch}-panic", B(arch, smp=1, append="run=panic"), status=2, result="FAIL",
                 expect=[r"PANIC: CPU0: .*(undefined instruction|illegal instruction)",
                         r"RESULT: FAIL panic: "], timeout=30),
            Case(f"{arch}-fail-workload", B(arch, smp=1, append="run=fail"), status=1,
                 result="FAIL", expect=[r"run: fail: FAIL"], timeout=30),
            Case(f"{arch}-unknown-run-name", B(arch, smp=1, append="run=dt,no-such-test"),
                 status=1, result="FAIL",
                 expect=[r'unknown test or workload "no-such-test"', r"run: dt: PASS"],
                 timeout=30),
        ]
    # no semihosting: the FATAL path must find PSCI in what is left of the tree to power off
    out.append(Case("arm64-corrupt-dtb-no-semihosting",
                    B("arm64", smp=1, how="image", semihosting=False), status=0,
                    result="FAIL", prepare=corrupt_dtb,
                    expect=[r"FATAL: device tree: FDT_ERR_\w+"], reject=[r"poweroff: "],
                    timeout=30, max_secs=3))
    out.append(Case("arm64-el2-corrupt-dtb-no-semihosting",
                    B("arm64", smp=1, how="image", semihosting=False,
                      machine_opts=["virtualization=on"]), status=0,
                    result="FAIL", prepare=corrupt_dtb,
                    expect=[r"FATAL: device tree: FDT_ERR_\w+"], reject=[r"poweroff: "],
                    timeout=30, max_secs=3))
    for arch, uart in (("arm64", "arm,pl011 at 0x9000000"),
                       ("riscv64", "ns16550a at 0x10000000")):
        out.append(Case(f"{arch}-console-default", B(arch, smp=1, append="run=dt"),
                        prepare=no_stdout_path,
                        expect=[rf"Console: {uart} \((aliases/serial0|platform default of "
                                rf"QEMU virt \({arch}\))\)", r"run: dt: PASS"], timeout=30))
    for arch in ("arm64", "riscv64"):
        out.append(Case(f"{arch}-elf-4cpu", B(arch, smp=4, how="elf"),
                        expect=[brought(1, 4),
                                r"run: \d+ of \d+ registered tests ran, \d+ passed"]))
        out.append(Case(f"{arch}-run-skip-detected", B(arch, smp=1, append="run_skip=dt"),
                        status=1, result="FAIL",
                        expect=[r"run: dt: registered but did not run",
                                r"RESULT: FAIL only \d+ of \d+ registered tests ran"]))
        out.append(Case(f"{arch}-run-twice", B(arch, smp=1, append="run=dt run=mmu"),
                        expect=[r"run: dt: PASS", r"run: mmu: PASS", r"run: 2 selected"],
                        timeout=30))
    for arch in ("arm64", "riscv64"):
        # 8 CPUs print 20 lines each at once: every line whole, none mixed with another
        out.append(Case(f"{arch}-printk-smp", B(arch, smp=8, nodes=2, mem_mb=2048,
                                                append="run=printk-smp"),
                        counts={r"^printk-smp: CPU00[0-7] line [01]\d abcdefghijklmnopqrstuvwxyz"
                                r"0123456789 end$": 160, r"printk-smp: CPU\d": 160},
                        expect=[r"run: printk-smp: PASS"], timeout=60))
        out.append(Case(f"{arch}-panic-secondary", B(arch, smp=4,
                                                     append="run=panic-secondary"),
                        status=2, result="FAIL",
                        expect=[r"PANIC: CPU3: .*(undefined instruction|illegal instruction)",
                                r"RESULT: FAIL panic: "], timeout=30))
    out.append(Case("arm64-el2-4cpu", B("arm64", smp=4, machine_opts=["virtualization=on"],
                                        append="run=dt,mmu,trap," + PERCPU),
                    expect=[r"Entry: EL2", r"run: trap: PASS", brought(1, 4)]))
    out += smp_cases()
    return out


# riscv's boot hart is OpenSBI's lottery winner: logical CPU 0, so group numbers follow it
GROUPS_4X2 = r"pcpu-alloc: (\[[0-3]\] [0-7] ){8}$"
PERCPU = "percpu-counter,percpu-identity,percpu-ops,percpu-irq,smp-lock,smp-barrier"
# arm64 with LSE: every this_cpu_* call site patched at boot
LSE_PATCHED = (r"percpu: this_cpu ops use LSE \(ARMv8.1 atomics; [1-9]\d* call sites "
               r"patched at boot\)")
# 4 nodes, unequal distances (symmetric): a ring-like machine
DIST4 = {(0, 1): 15, (0, 2): 20, (0, 3): 25, (1, 2): 15, (1, 3): 20, (2, 3): 15}


def brought(nodes, cpus):
    return (rf"smp: Brought up {nodes} node{'s' if nodes != 1 else ''}, "
            rf"{cpus} CPU{'s' if cpus != 1 else ''}$")


# hart 0 disabled: OpenSBI never boots it, so another hart boots
disable_hart0 = edited_tree("-ts", "/cpus/cpu@0", "status", "disabled")


def dynamic_cases():
    """The dynamic allocator: stress on all CPUs, both allocators, misuse, stats (vm chunks:
    the default with the page-granular MMU; cases_vm.py runs km too)."""
    B = qemu.Boot
    out = []
    for arch in ("arm64", "riscv64"):
        for n in (4, 8):
            for kind in ("bitmap", "areamap"):
                out.append(Case(
                    f"{arch}-stress-{n}cpu-{kind}",
                    B(arch, smp=n, nodes=2, mem_mb=2048,
                      append=f"percpu_allocator={kind} run=percpu-alloc,percpu-stress"),
                    expect=[rf"percpu: dynamic allocator {kind}, vm chunks",
                            rf"percpu stats \({kind} allocator",
                            r"run: percpu-stress: PASS", brought(2, n)],
                    reject=[r"[1-9]\d* zero / ", r"/ [1-9]\d* pattern errors"], timeout=180))
        out.append(Case(f"{arch}-misuse", B(arch, smp=4, nodes=2, mem_mb=2048,
                                            append="run=percpu-misuse,percpu-stats"),
                        expect=[r"free of 0x[0-9a-f]+ refused",
                                r"bad allocation size 0 or alignment",
                                r"out of memory after \d+ allocations",
                                r"run: percpu-misuse: PASS"], timeout=180))
    out.append(Case("arm64-bad-allocator-param", B("arm64", smp=1, append="percpu_allocator=slab "
                                                   "run=dt"),
                    status=1, result="FAIL",
                    expect=[r'bad value "slab" for percpu_allocator',
                            r"RESULT: FAIL 1 boot parameter rejected"]))
    return out


def smp_cases():
    B = qemu.Boot
    out = []
    for arch in ("arm64", "riscv64"):
        for n in (1, 2, 4, 8):
            nodes = 2 if n >= 2 else 1
            out.append(Case(f"{arch}-smp{n}", B(arch, smp=n, nodes=nodes, mem_mb=2048,
                                               append="run=" + PERCPU),
                            expect=[brought(nodes, n), r"percpu: Embedded \d+ pages/cpu s\d+ "
                                    r"r8192 d\d+ u\d+$", r"run: percpu-counter: sum",
                                    r"^run: summary: CPU  node  hwid +" + PERCPU.replace(",", " ") + "$",
                                    rf"^run: summary: +{n - 1} +"
                                    # riscv: the lottery's boot hart is CPU 0, so the
                                    # last CPU's node follows it
                                    + (rf"{nodes - 1}" if arch == "arm64" else r"\d+")
                                    + r" +0x[0-9a-f]+"
                                    + " +ok" * len(PERCPU.split(",")) + "$",
                                    r"run: percpu-irq: shared count (\d+) under the lock, "
                                    r"want \1$"]))
        # percpu-irq runs at 64 CPUs too: it once stalled there (about 2 boots in 70 on
        # QEMU 10, 1 in 7 with two such QEMUs on 2 host cores) because the interrupt path
        # re-armed the tick before its handler and looped while a tick was pending
        out.append(Case(f"{arch}-smp64-4node", B(arch, smp=64, nodes=4, dist=DIST4,
                                                 mem_mb=4096, append="run=" + PERCPU),
                        expect=[brought(4, 64), r"pcpu-alloc: \[3\] \d+ ",
                                r"^  cpu@30-3f \(16 CPUs\): sbi-hsm, node 3"
                                if arch == "riscv64" else
                                r"^  cpu@300-30f \(16 CPUs\): psci, node 3",
                                r"run: percpu-irq: shared count (\d+) under the lock, "
                                r"want \1$"],
                        timeout=120))
        # every tick handler outlasts the 1 ms period: the CPUs must still get back to
        # their loop after each tick (and ticks never come early); the old path only
        # took ticks here
        out.append(Case(f"{arch}-irq-slow-handler", B(arch, smp=4, nodes=2, mem_mb=2048,
                                                      append="percpu_irq_slow=3000 "
                                                      "run=percpu-irq"),
                        expect=[r"run: percpu-irq: each tick handler waits 3000 us",
                                r"run: percpu-irq: shared count (\d+) under the lock, "
                                r"want \1$", r"run: percpu-irq: PASS"]))
        out.append(Case(f"{arch}-irq-slow-bad", B(arch, append="percpu_irq_slow=2s run=dt"),
                        status=1, result="FAIL",
                        expect=[r'bad value "2s" for percpu_irq_slow',
                                r"RESULT: FAIL 1 boot parameter rejected"]))
        out.append(Case(f"{arch}-numa4-unequal", B(arch, smp=8, nodes=4, dist=DIST4,
                                                   mem_mb=2048, append="run=" + PERCPU),
                        expect=[brought(4, 8), GROUPS_4X2 if arch == "riscv64" else
                                r"pcpu-alloc: \[0\] 0 \[0\] 1 \[1\] 2 \[1\] 3 "
                                r"\[2\] 4 \[2\] 5 \[3\] 6 \[3\] 7 $",
                                r"NUMA: 4 nodes, distances from /distance-map"]))
        # two nodes, distances not the defaults and not symmetric: read, printed, grouped
        out.append(Case(f"{arch}-numa2-asym", B(arch, smp=4, nodes=2, mem_mb=2048,
                                                dist={(0, 1): 15, (1, 0): 25},
                                                append="run=" + PERCPU),
                        expect=[brought(2, 4), r"NUMA: node 0 distances: 10 15$",
                                r"NUMA: node 1 distances: 25 10$",
                                GROUPS_4X2.replace("{8}", "{4}").replace("0-7", "0-3")
                                if arch == "riscv64" else
                                r"pcpu-alloc: \[0\] 0 \[0\] 1 \[1\] 2 \[1\] 3 $"]))
        # Linux counts the nodes of the tree, not those with an online CPU
        out.append(Case(f"{arch}-maxcpus1-2node", B(arch, smp=4, nodes=2, mem_mb=2048,
                                                    append="maxcpus=1 run=" + PERCPU),
                        expect=[brought(2, 1), r"smp: online CPUs 0$"]))
        out.append(Case(f"{arch}-maxcpus", B(arch, smp=8, append="maxcpus=3 run=" + PERCPU),
                        expect=[brought(1, 3), r"smp: online CPUs 0-2$"]))
        # a CPU that fails leaves its place under maxcpus to the next one
        out.append(Case(f"{arch}-maxcpus-silent", B(arch, smp=4, append="maxcpus=3 "
                                                    "smp_test_silent=1 run=" + PERCPU),
                        expect=[r"CPU1: failed to come online \(no sign of life",
                                brought(1, 3), r"smp: online CPUs 0,2-3 "]))
        out.append(Case(f"{arch}-cpu-silent", B(arch, smp=4, nodes=2, mem_mb=2048,
                                                append="smp_test_silent=2 run=" + PERCPU),
                        expect=[r"CPU2: failed to come online \(no sign of life within \d+ ms\)",
                                brought(2, 3), r"smp: online CPUs 0-1,3 "]))
        # CPU2 arrives only after bring-up gave up on it: it must park, not come online
        # behind the run's back (an all-CPU run and its barrier would then wait for it)
        out.append(Case(f"{arch}-cpu-late", B(arch, smp=4,
                                              append="smp_test_late=2 run=" + PERCPU),
                        expect=[r"CPU2: failed to come online \(no sign of life within \d+ ms\)",
                                r"CPU2: arrived after bring-up gave up on it: parked",
                                brought(1, 3), r"smp: online CPUs 0-1,3 ",
                                r"run: smp-barrier: PASS"]))
        # the barrier many times over at 16 CPUs, each round checked (an smp-barrier once hung
        # on QEMU 10 after percpu-irq); percpu-irq first leaves the CPUs as the runs do
        out.append(Case(f"{arch}-barrier-stress",
                        B(arch, smp=16, append="smp_barrier_rounds=2000 "
                          "run=percpu-irq,smp-barrier,smp-barrier"),
                        expect=[r"2000 barrier rounds", r"run: smp-barrier: PASS"],
                        timeout=180))
    out.append(Case("arm64-smp512", B("arm64", smp=512, nodes=4, mem_mb=4096,
                                      append="run=percpu-counter,percpu-identity"),
                    expect=[brought(4, 512), r"pcpu-alloc: \[3\] 384 "], timeout=300,
                    alone=True))
    # OpenSBI 1.1 serves at most 128 harts: the others are refused and reported
    out.append(Case("riscv64-smp512", B("riscv64", smp=512, nodes=4, mem_mb=4096,
                                        append="run=percpu-counter,percpu-identity"),
                    expect=[r"CPU128: failed to come online \(SBI: invalid parameter",
                            brought(4, 128), r"pcpu-alloc: \[3\] 384 "],
                    # OpenSBI 1.1's cold boot shares 2 host cores with 511 spinning harts:
                    # 50 s to over 200 s before its banner were seen on the same machine, and
                    # once (2026-12-07, about 7 other QEMU runs on the 2 cores) no output at
                    # all in 480 s, the same image passing alone in 83 s: firmware starved
                    # before pcpurt's first instruction (no pcpurt line, nor OpenSBI's banner),
                    # not a pcpurt hang. alone= keeps this runner's other cases off; it cannot
                    # keep other processes off the host
                    timeout=480, alone=True))
    out.append(Case("riscv64-boot-hart-not-0", B("riscv64", smp=4, append="run=dt," + PERCPU),
                    prepare=disable_hart0,
                    expect=[r"Entry: S-mode, boot CPU hwid 0x[1-3],",
                            r"smp: skipping cpu@0: disabled in the device tree",
                            brought(1, 3)]))
    out.append(Case("arm64-raspi3b-spin-table",
                    B("arm64", machine="raspi3b", smp=4, mem_mb=1024, dtb=SHARED_DTB +
                      "/bcm2837-rpi-3-b.dtb", append="run=dt," + PERCPU,
                      ),
                    expect=[r"Machine model: Raspberry Pi 3 Model B",
                            r"Console: brcm,bcm2835-aux-uart at 0x3f215040",
                            r"cpu@3: spin-table", brought(1, 4)]))
    out += dynamic_cases()
    out += plugin_cases()
    out.append(Case("arm64-lse", B("arm64", smp=4, cpu="max", append="run=lse-patch," + PERCPU),
                    expect=[r"run: lse-patch: PASS", LSE_PATCHED, r"run: percpu-ops: PASS",
                            brought(1, 4)]))
    # the patching after U-Boot, which ran with caches on
    out.append(Case("arm64-uboot-lse", B("arm64", smp=4, cpu="max", how="uboot",
                                         append="run=lse-patch," + PERCPU),
                    expect=["Starting kernel", r"run: lse-patch: PASS", LSE_PATCHED,
                            r"run: percpu-ops: PASS", brought(1, 4)]))
    out.append(Case("arm64-lse-forced-llsc",
                    B("arm64", smp=4, cpu="max",
                      append="percpu_atomics=llsc run=lse-patch," + PERCPU),
                    expect=[r"percpu: this_cpu ops use LL/SC \(ARMv8.0 exclusives; LSE present, "
                            r"not used\)", r"run: percpu-ops: PASS", r"run: lse-patch: PASS",
                            brought(1, 4)]))
    return out


# Cases that run on both stacks: Debian 12's (the name alone) and the current one, Debian 13's
# QEMU 10, OpenSBI 1.6 and U-Boot 2025.01 (the name + "@current"). They are those where the
# emulator or the firmware shape what the runtime sees: entry, the device tree QEMU writes, the
# firmware's hart lottery and HSM, U-Boot, the interrupt controllers, NUMA trees, many CPUs.
# Runtime-only cases (allocator, workloads, faults, pictures, bad parameters) run on Debian
# 12's stack alone. Why: docs/decisions.md, "Two QEMU stacks on one Debian 12 machine".
ON_BOTH_STACKS = [
    # boots: ELF and Image entry, the firmware's view of a corrupt tree
    "arm64-elf-1cpu", "riscv64-elf-1cpu", "arm64-image-4cpu-2node", "riscv64-image-4cpu-2node",
    "arm64-corrupt-dtb", "riscv64-corrupt-dtb", "arm64-el2-corrupt-dtb-no-semihosting",
    # U-Boot booti on both arches, the board Images through it, the VisionFive 2 boot.scr
    "arm64-uboot-1cpu", "riscv64-uboot-1cpu", "arm64-uboot-4cpu", "riscv64-uboot-4cpu",
    "arm64-uboot-lse", "board-rpi4-image-uboot-virt", "board-vf2-bootscr-uboot-virt",
    # interrupts (GICv2/GICv3, PLIC/APLIC) and the timer tick, EL2 entry, LSE and LL/SC
    "arm64-smp8", "riscv64-smp8", "arm64-el2-4cpu", "arm64-lse", "arm64-lse-forced-llsc",
    "arm64-irq-slow-handler", "riscv64-irq-slow-handler",
    # NUMA trees as each QEMU writes them; the firmware's boot hart
    "arm64-numa4-unequal", "riscv64-numa4-unequal", "arm64-numa2-asym", "riscv64-numa2-asym",
    "topo-arm64-memless-first", "topo-riscv64-memless-last", "riscv64-boot-hart-not-0",
    # the VisionFive 2 Image on sifive_u (hart 0 a monitor core the firmware keeps)
    "board-vf2-image-sifive_u",
    # many CPUs
    "arm64-smp64-4node", "riscv64-smp64-4node", "arm64-smp512",
    # CPU hotplug through the firmware (PSCI CPU_OFF/AFFINITY_INFO, SBI HSM), the boot CPU
    # too, after U-Boot; cross-CPU calls on GICv3 (cases_lifecycle.py)
    "arm64-hotplug-4cpu", "riscv64-hotplug-4cpu", "arm64-hotplug-boot-cpu",
    "riscv64-hotplug-boot-cpu", "arm64-hotplug-uboot", "riscv64-hotplug-uboot",
    "arm64-smp-call-gicv3",
    # the firmware's IPIs under a barrier many times over; a hart that starts late (HSM)
    "arm64-barrier-stress", "riscv64-barrier-stress", "arm64-cpu-late", "riscv64-cpu-late",
]


def with_current_stack(cases):
    """The cases, then a copy of each one named in ON_BOTH_STACKS that boots on the current
    stack. A name that is not a case is an error: the list must follow renames."""
    by_name = {c.name: c for c in cases}
    unknown = [n for n in ON_BOTH_STACKS if n not in by_name]
    if unknown:
        raise SystemExit(f"runner: ON_BOTH_STACKS names no case {', '.join(unknown)}")
    out = list(cases)
    for name in ON_BOTH_STACKS:
        c = copy.deepcopy(by_name[name])
        c.boot.stack = qemu.get_stack("current")
        c.name = name + "@current"
        # the copy shows it ran on the current stack's firmware, where the log shows any
        if c.boot.arch == "riscv64":
            c.expect.append(r"^OpenSBI v1\.6")
        if c.boot.how == "uboot":
            c.expect.append(r"^U-Boot 2025\.01")
        out.append(c)
    return out


def plugin_cases():
    """Cases from tests/qemu/cases_*.py: each module's cases(r) gets this module as r."""
    import glob
    import importlib
    out = []
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "cases_*.py"))):
        mod = importlib.import_module(os.path.splitext(os.path.basename(path))[0])
        out += mod.cases(sys.modules[__name__])
    return out


def check(case, status, log, secs=0.0):
    why = []
    if case.max_secs is not None and secs > case.max_secs:
        why.append(f"took {secs:.2f} s, want at most {case.max_secs} s")
    if status is None:
        why.append(f"timeout after {case.timeout}s")
    elif status != case.status:
        why.append(f"exit status {status}, want {case.status}")
    results = re.findall(r"^RESULT: (PASS|FAIL)(.*)$", log, re.M)
    if case.result is None:
        pass
    elif len(results) != 1:
        why.append(f"{len(results)} RESULT lines, want 1")
    elif results[0][0] != case.result:
        why.append(f"RESULT: {results[0][0]}{results[0][1]}, want {case.result}")
    elif not log.rstrip("\n").splitlines()[-1].startswith("RESULT: "):
        why.append("the RESULT line is not the last line")
    for pat in case.expect:
        if not re.search(pat, log, re.M):
            why.append(f"missing /{pat}/")
    for pat in case.reject:
        if re.search(pat, log, re.M):
            why.append(f"unexpected /{pat}/")
    for pat, n in case.counts.items():
        got = len(re.findall(pat, log, re.M))
        if got != n:
            why.append(f"{got} lines match /{pat}/, want {n}")
    return why


def run_case(case):
    os.makedirs(LOGDIR, exist_ok=True)
    missing = case.boot.stack.missing() if case.boot else []
    if missing and not case.run:
        return case, [f"stack {case.boot.stack} lacks {missing[0]} (make stack-current)"], 0.0
    try:
        if case.prepare:
            case.prepare(case)
        if case.run:
            status, log, secs = case.run(case)
        else:
            status, log, secs = qemu.run(case.boot, case.timeout,
                                         os.path.join(LOGDIR, case.name + ".log"))
        why = check(case, status, log, secs)
        if case.after:
            why += case.after(case, log)
        return case, why, secs
    except Exception as e:  # a broken case fails, the others go on
        return case, [f"runner error: {e}"], 0.0


def print_tail(path, lines=12):
    """The end of a failed boot's log, so that a CI run's output alone explains it."""
    try:
        with open(path, "rb") as f:
            tail = f.read().decode("utf-8", "replace").splitlines()[-lines:]
    except OSError:
        return
    for line in tail:
        print(f"     | {line}", flush=True)


def report(case, why, secs):
    """Prints a case's PASS or FAIL line (and a failure's log tail); True if it passed."""
    if why:
        print(f"FAIL {case.name:44s} {secs:6.1f}s  " + "; ".join(why), flush=True)
        print(f"     log: {os.path.join(LOGDIR, case.name + '.log')}", flush=True)
        print_tail(os.path.join(LOGDIR, case.name + ".log"))
        return False
    print(f"PASS {case.name:44s} {secs:6.1f}s", flush=True)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    ap.add_argument("-j", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    todo = [c for c in with_current_stack(cases()) if args.k in c.name]
    if args.list:
        for c in todo:
            print(c.name)
        return 0
    t0 = time.monotonic()
    with cf.ThreadPoolExecutor(max_workers=args.j) as ex:
        ok = [report(*result) for result in ex.map(run_case, [c for c in todo if not c.alone])]
    ok += [report(*run_case(c)) for c in todo if c.alone]
    failed = ok.count(False)
    passed = len(ok) - failed
    print(f"qemu: {len(todo)} configurations in {time.monotonic() - t0:.0f}s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
