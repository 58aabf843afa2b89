"""cases_boards.py - the board Images (make image PLATFORM=rpi4 / visionfive2) under the
emulated boards and through U-Boot on QEMU virt: the packaged files themselves, which are
byte for byte the qemu-virt Images (the image target checks that).

- arm64: build/arm64-rpi4/boot/kernel8.img under -M raspi3b with the Pi 3 tree (same
  spin-table protocol and mini UART as the Pi 4, 4 cores), and through U-Boot on virt.
  Two of them run without semihosting, as on the board: the run must probe it, find it
  absent, and power off through PSCI SYSTEM_OFF (virt: exit status 0, the RESULT line
  tells) or, with no PSCI in the tree (the Pi), halt after the RESULT line. These need
  the semihosting fixup call in arch/arm64/traps.c (see docs/decisions.md).
- riscv64: build/riscv64-visionfive2/boot/Image under -M sifive_u -smp 5 with OpenSBI
  (hart 0 an E51 monitor core without MMU, harts 1-4 U54, like the JH7110's S7 + 4 U74;
  console sifive,uart0), and through U-Boot on virt running the packaged boot.scr.
  sifive_u has no poweroff device (only gpio-restart): the run ends halted after RESULT.
Run `make image PLATFORM=rpi4` and `make image PLATFORM=visionfive2` first.
"""
import os

PERCPU = "percpu-counter,percpu-identity,percpu-ops,percpu-irq,smp-lock,smp-barrier"
RPI4 = os.path.join("build", "arm64-rpi4", "boot")
VF2 = os.path.join("build", "riscv64-visionfive2", "boot")
SCRIPT_ADDR = 0x83000000


def cases(r):
    B = r.qemu.Boot
    brought = r.brought
    pi_tree = os.path.join(r.SHARED_DTB, "bcm2837-rpi-3-b.dtb")
    kernel8 = os.path.join(RPI4, "kernel8.img")
    vf2_image = os.path.join(VF2, "Image")
    out = [
        r.Case("board-rpi4-image-raspi3b",
               B("arm64", machine="raspi3b", smp=4, mem_mb=1024, dtb=pi_tree,
                 image=kernel8, append="run=dt,cpu-hotplug," + PERCPU),
               expect=[r"Machine model: Raspberry Pi 3 Model B",
                       # spin-table CPUs cannot go back to the firmware: refused, one line
                       r"cpu_down: CPU1: refused: spin-table CPUs cannot be handed back to "
                       r"the firmware \(no PSCI CPU_OFF\) \(-95\)$",
                       r"run: cpu-hotplug: PASS",
                       r"Console: brcm,bcm2835-aux-uart at 0x3f215040 \(stdout-path\)",
                       r"Entry: EL2", r"cpu@3: spin-table", brought(1, 4),
                       r"percpu: this_cpu ops use LL/SC", r"run: percpu-ops: PASS",
                       r"skipped: no timer interrupt path on this machine",
                       r"run: smp-barrier: PASS"],
               timeout=180),
        r.Case("board-rpi4-image-raspi3b-no-semihosting",
               B("arm64", machine="raspi3b", smp=4, mem_mb=1024, dtb=pi_tree,
                 image=kernel8, append="run=dt,percpu-identity", semihosting=False,
                 halt_after_result=2),
               status="halted",
               expect=[r"Semihosting: absent", brought(1, 4),
                       r"poweroff: no semihosting and no PSCI in the device tree: the CPUs "
                       r"halt after the RESULT line\nRESULT: PASS\n"],
               timeout=180),
        r.Case("board-rpi4-image-uboot-virt",
               B("arm64", smp=4, how="uboot", image=kernel8, append="run=dt," + PERCPU,
                 semihosting=False),
               expect=["Starting kernel", r"Console: arm,pl011 at 0x9000000",
                       r"Semihosting: absent, poweroff through PSCI SYSTEM_OFF",
                       brought(1, 4), r"run: percpu-ops: PASS"], timeout=180),
        r.Case("board-vf2-image-sifive_u",
               B("riscv64", machine="sifive_u", smp=5, mem_mb=1024, image=vf2_image,
                 append="run=dt,cpu-hotplug,smp-call," + PERCPU, halt_after_result=2),
               status="halted",
               expect=[r"Machine model: SiFive HiFive Unleashed A00",
                       # SBI HSM stops and restarts the U54 harts
                       r"^CPU\d+: off \(hart [1-4] stopped, polled \d+ ms\)$",
                       r"run: cpu-hotplug: PASS", r"run: smp-call: PASS",
                       r"Console: sifive,uart0 at 0x10010000 \(stdout-path\)",
                       r"cpu@0: sbi-hsm, node 0, disabled, rv64imac\S*, no MMU",
                       r"smp: skipping cpu@0: ", brought(1, 4),
                       r"run: percpu-ops: PASS", r"run: smp-barrier: PASS"],
               reject=[r"CPU\d+: failed to come online"], timeout=240),
        r.Case("board-vf2-bootscr-uboot-virt",
               B("riscv64", smp=4, how="uboot", image=vf2_image,
                 extra=["-device", f"loader,file={os.path.join(VF2, 'boot.scr')},"
                        f"addr={SCRIPT_ADDR:#x},force-raw=on"],
                 uboot_cmds=[f"setenv kernel_addr_r {r.qemu.RISCV_UBOOT_LOAD:#x}",
                             "setenv pcpurt_load none",
                             f"setenv pcpurt_args 'run=dt,{PERCPU}'",
                             f"source {SCRIPT_ADDR:#x}"]),
               expect=[r"pcpurt: boot script", r"pcpurt: booti 0x84000000 - [0-9a-fx]+, bootargs: run=dt,",
                       "Starting kernel", r"Kernel command line: run=dt,percpu",
                       r"Console: ns16550a at 0x10000000", brought(1, 4),
                       r"run: percpu-ops: PASS"], timeout=180),
    ]
    return out
