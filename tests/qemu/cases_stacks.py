"""cases_stacks.py - cases about the two QEMU stacks (Debian 12's, and the current one: names
ending in @current; the copies of runner.py's cases are its ON_BOTH_STACKS): the hart counts
each OpenSBI serves under QEMU virt, the VisionFive 2 card through each U-Boot, arm64 at 64
CPUs with each CPU model and entry level.

- OpenSBI 1.6 (current stack) places its per-hart data after itself and its heap grows with
  the square of the hart count: from 108 harts on it reaches 0x80200000, where QEMU loads a
  raw Image, and hangs silently. With the Image loaded at 0x80400000 (qemu.image_at: an ELF
  for -kernel, whose entry QEMU gives fw_dynamic as next_addr) it serves 128 harts, its
  maximum; from 129 harts on it hangs before its banner wherever the Image is.
- OpenSBI 1.1 (Debian 12) serves 128 harts and refuses the others' HSM start: riscv64-smp512.
- The VisionFive 2 card as the board's U-Boot sees it, on both stacks' U-Boot (2023.01 and
  2025.01): a disk with one FAT partition holding boot/'s Image and boot.scr (made by
  scripts/sdimage.sh), on virtio-blk; U-Boot's own boot command finds /boot.scr there and the
  script loads the Image from the same partition (nothing is preloaded) and runs booti.
- arm64 at 64 CPUs (GICv3, 4 nodes) with -cpu max (LSE patched in) and cortex-a72 (LL/SC),
  entered at EL1 and at EL2 (virtualization=on), on both stacks; cortex-a72 at EL1 is
  runner.py's arm64-smp64-4node (both stacks too).
"""
import os
import shutil
import subprocess

PERCPU = "percpu-counter,percpu-identity,percpu-ops,percpu-irq,smp-lock,smp-barrier"
HIGH = 0x80400000
# the 64-CPU set is the whole set: percpu-irq, once left out for a livelock in the tick's
# interrupt path, runs there again (docs/architecture.md, Interrupts)
PERCPU64 = PERCPU
STACKS = (("bookworm", ""), ("current", "@current"))
VF2_BOOT = os.path.join("build", "riscv64-visionfive2", "boot")


def vf2_card(r):
    """A prepare step: the VisionFive 2 card (Image, boot.scr) as a disk image."""
    def prepare(case):
        folder = os.path.join(r.LOGDIR, case.name + ".card")
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for f in ("Image", "boot.scr"):
            shutil.copy(os.path.join(VF2_BOOT, f), folder)
        disk = os.path.join(r.LOGDIR, case.name + ".img")
        p = subprocess.run(["scripts/sdimage.sh", disk, "64", folder], capture_output=True,
                           text=True)
        if p.returncode:
            raise RuntimeError("scripts/sdimage.sh: " + (p.stderr.strip() or "failed"))
        case.boot.disk = disk
    return prepare


def cases(r):
    B = r.qemu.Boot
    brought = r.brought
    out = [
        # the largest count with the Image where QEMU puts it
        r.Case("riscv64-smp107-opensbi16",
               B("riscv64", smp=107, nodes=4, mem_mb=4096, stack="current",
                 append="run=percpu-counter,percpu-identity"),
               expect=[r"OpenSBI v1\.6", r"Domain0 Next Address\s+: 0x0*80200000",
                       brought(4, 107)], timeout=240, alone=True),
        # the firmware's maximum, the Image loaded higher
        r.Case("riscv64-smp128-opensbi16-high",
               B("riscv64", smp=128, nodes=4, mem_mb=4096, stack="current", load_addr=HIGH,
                 append="run=percpu-counter,percpu-identity,percpu-ops,smp-barrier"),
               expect=[r"OpenSBI v1\.6", rf"Domain0 Next Address\s+: 0x0*{HIGH:x}",
                       brought(4, 128), r"pcpu-alloc: \[3\] 096 ", r"run: percpu-ops: PASS"],
               reject=[r"failed to come online"], timeout=240, alone=True),
    ]
    for stack, suffix in STACKS:
        # U-Boot's own boot command ("boot"): distro boot / bootstd scans virtio 0:1
        out.append(r.Case(
            f"board-vf2-card-uboot-virt{suffix}",
            B("riscv64", smp=4, how="uboot", stack=stack, disk="(made by prepare)",
              uboot_cmds=[f"setenv pcpurt_args 'run=dt,{PERCPU}'", "boot"]),
            prepare=vf2_card(r),
            expect=[r"Found U-Boot script /boot\.scr", r"pcpurt: boot script",
                    r"^\d+ bytes read in \d+ ms",
                    r"pcpurt: booti 0x[0-9a-f]+ - [0-9a-fx]+, bootargs: run=dt,",
                    r"Kernel command line: run=dt,percpu", brought(1, 4),
                    r"run: percpu-ops: PASS"]
            + ([r"^U-Boot 2025\.01", r"^OpenSBI v1\.6"] if suffix else [r"^U-Boot 2023\.01"]),
            reject=[r"Image already at"], timeout=180))
        for cpu, el in (("max", 1), ("max", 2), ("cortex-a72", 2)):
            atomics = (r"percpu: this_cpu ops use LSE" if cpu == "max" else
                       r"percpu: this_cpu ops use LL/SC \(ARMv8.0 exclusives\)")
            out.append(r.Case(
                f"arm64-smp64-{'lse' if cpu == 'max' else 'llsc'}-el{el}{suffix}",
                B("arm64", smp=64, nodes=4, dist=r.DIST4, mem_mb=4096, cpu=cpu, stack=stack,
                  machine_opts=["virtualization=on"] if el == 2 else [],
                  append="run=lse-patch," + PERCPU64 if cpu == "max" else "run=" + PERCPU64),
                expect=[rf"Entry: EL{el}, boot CPU hwid 0x0", atomics,
                        r"smp: idle CPUs wait with GICv3 at 0x8000000", brought(4, 64),
                        r"run: percpu-ops: PASS", r"run: percpu-irq: PASS",
                        r"run: smp-barrier: PASS"]
                + ([r"run: lse-patch: PASS"] if cpu == "max" else []),
                timeout=120))
    return out
