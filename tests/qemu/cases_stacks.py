"""cases_stacks.py - cases for one QEMU stack only (the shared ones are ON_BOTH_STACKS in
runner.py): the hart counts each OpenSBI serves under QEMU virt, arm64 at 64 CPUs with each
CPU model and entry level on both stacks.

- OpenSBI 1.6 (current stack) places its per-hart data after itself and its heap grows with
  the square of the hart count: from 108 harts on it reaches 0x80200000, where QEMU loads a
  raw Image, and hangs silently. With the Image loaded at 0x80400000 (qemu.image_at: an ELF
  for -kernel, whose entry QEMU gives fw_dynamic as next_addr) it serves 128 harts, its
  maximum; from 129 harts on it hangs before its banner wherever the Image is.
- OpenSBI 1.1 (Debian 12) serves 128 harts and refuses the others' HSM start: riscv64-smp512.
"""
PERCPU = "percpu-counter,percpu-identity,percpu-ops,percpu-irq,smp-lock,smp-barrier"
HIGH = 0x80400000


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
    return out
