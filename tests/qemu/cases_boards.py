"""cases_boards.py - the board Images (make image PLATFORM=rpi4 / visionfive2) under the
emulated boards and through U-Boot on QEMU virt: the packaged files themselves, which are
byte for byte the qemu-virt Images (the image target checks that).

- arm64, the primary Pi 4 proof: build/arm64-rpi4/boot/kernel8.img under -M raspi4b
  (QEMU 10, the "current" stack) with the real Pi 4 tree bcm2711-rpi-4-b.dtb: 4 Cortex-A72
  through spin-table, the mini UART (QEMU's second serial port) named by stdout-path, the
  GIC-400 found in the tree so that percpu-irq runs, LL/SC atomics, no semihosting and no
  PSCI as on the board: halted after RESULT. Also with boot parameters, percpu-stress
  and maxcpus=2. And the card a Pi 4 user with U-Boot writes (make sdimage): Debian's
  u-boot-rpi (rpi_arm64) started as the kernel with the Pi 4 tree, finding boot.scr on
  build/arm64-rpi4/sdcard.img (-sd), which loads kernel8.img and boots it with booti on
  the tree U-Boot was given (the firmware's, on the board), bootargs taken from its
  /chosen (cmdline.txt on the board, -append here).
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
Run `make sdimage PLATFORM=rpi4` and `make image PLATFORM=visionfive2` first.
"""
import os
import shutil
import subprocess

PERCPU = "percpu-counter,percpu-identity,percpu-ops,percpu-irq,smp-lock,smp-barrier"
RPI4 = os.path.join("build", "arm64-rpi4", "boot")
RPI4_SD = os.path.join("build", "arm64-rpi4", "sdcard.img")
RPI4_UBOOT = os.path.join("build", "arm64-rpi4", "sd", "u-boot.bin")   # the card's copy
VF2 = os.path.join("build", "riscv64-visionfive2", "boot")
SCRIPT_ADDR = 0x83000000
PI4_LOG = [r"Machine model: Raspberry Pi 4 Model B",
           r"Console: brcm,bcm2835-aux-uart at 0xfe215040 \(stdout-path\)",
           r"Semihosting: absent, no PSCI: the CPUs halt after the RESULT line",
           r"Entry: EL2", r"cpu@3: spin-table"]
PI4_HALT = (r"poweroff: no semihosting and no PSCI in the device tree: the CPUs halt after "
            r"the RESULT line\nRESULT: PASS\n")
PI4_GIC = r"smp: idle CPUs wait with GICv2 at 0xff841000"
# what the Pi 4 firmware puts before cmdline.txt in /chosen/bootargs (a 4 GB board)
PI4_FW_WORDS = ("coherent_pool=1M 8250.nr_uarts=1 snd_bcm2835.enable_analog_audio=0 "
                "snd_bcm2835.enable_hdmi=1 snd_bcm2835.enable_headphones=0 bcm2708_fb.fbwidth=0 "
                "bcm2708_fb.fbheight=0 bcm2708_fb.fbswap=1 smsc95xx.macaddr=DC:A6:32:00:00:01 "
                "vc_mem.mem_base=0x3ec00000 vc_mem.mem_size=0x40000000")


def uboot_rpi(suite):
    """A prepare step: boot Debian's u-boot-rpi of `suite` (scripts/u-boot-rpi.sh fetches it
    once into the cache and prints its rpi_arm64 u-boot.bin)."""
    def prepare(case):
        need_sdcard(case)
        out = subprocess.run(["scripts/u-boot-rpi.sh", suite], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        case.boot.image_path = out.strip()
    return prepare


def need_sdcard(case):
    """A prepare step: the card and its U-Boot must have been made."""
    for f in (RPI4_SD, RPI4_UBOOT):
        if not os.path.exists(f):
            raise RuntimeError(f"no {f}: run make sdimage PLATFORM=rpi4 (or make images)")


def memory_2gb_card(case):
    """A prepare step: a copy of the card whose boot.scr (tests/qemu/rpi4-memory.cmd) gives
    pcpurt the memory of a 2 GB board, kernel8.img added as a uImage for bootm."""
    need_sdcard(case)
    card = os.path.join("build", "qemu-tests", case.name + ".sd.img")
    uimg = os.path.join("build", "qemu-tests", case.name + ".uimg")
    scr = os.path.join("build", "qemu-tests", case.name + ".scr")
    shutil.copyfile(RPI4_SD, card)
    quiet = {"check": True, "stdout": subprocess.DEVNULL}
    subprocess.run(["mkimage", "-A", "arm64", "-O", "linux", "-T", "kernel", "-C", "none",
                    "-a", "0x200000", "-e", "0x200000", "-n", "pcpurt",
                    "-d", os.path.join(RPI4, "kernel8.img"), uimg], **quiet)
    subprocess.run(["mkimage", "-A", "arm64", "-O", "linux", "-T", "script", "-C", "none",
                    "-d", os.path.join(os.path.dirname(__file__), "rpi4-memory.cmd"), scr],
                   **quiet)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for src, name in ((uimg, "pcpurt.uimg"), (scr, "boot.scr")):
        subprocess.run(["mcopy", "-o", "-i", card + "@@1M", src, "::/" + name], env=env,
                       check=True)
    case.boot.extra = ["-drive", f"if=sd,format=raw,file={card}"]


def cases(r):
    B = r.qemu.Boot
    brought = r.brought
    pi_tree = os.path.join(r.SHARED_DTB, "bcm2837-rpi-3-b.dtb")
    kernel8 = os.path.join(RPI4, "kernel8.img")
    vf2_image = os.path.join(VF2, "Image")
    pi4_tree = os.path.join(r.SHARED_DTB, "bcm2711-rpi-4-b.dtb")

    def pi4(append, **kw):
        """kernel8.img (or kw's image) on QEMU 10's raspi4b (2 GiB, its only size) with the
        Pi 4 tree, no semihosting: halted 2 s after RESULT."""
        kw.setdefault("image", kernel8)
        return B("arm64", machine="raspi4b", smp=4, mem_mb=2048, dtb=pi4_tree, append=append,
                 semihosting=False, halt_after_result=2, stack="current", **kw)
    skipped = [r"skipped: ", r"CPU\d+: failed to come online"]
    out = [
        r.Case("board-rpi4-raspi4b",
               pi4("run=dt,percpu-alloc,cpu-hotplug,smp-call," + PERCPU),
               status="halted",
               expect=PI4_LOG + [r"Memory: \[mem 0x0+-0x0+3bffffff\] node 0",
                                 # spin-table CPUs: cpu_down refused, one line; calls go
                                 # through the GIC-400 to busy CPUs
                                 r"cpu_down: CPU1: refused: spin-table CPUs cannot be handed "
                                 r"back to the firmware \(no PSCI CPU_OFF\) \(-95\)$",
                                 r"run: cpu-hotplug: PASS",
                                 r"run: smp-call: \d+ calls on 4 CPUs, each ran once",
                                 brought(1, 4), r"smp: online CPUs 0-3", PI4_GIC,
                                 r"percpu: this_cpu ops use LL/SC", r"run: percpu-ops: PASS",
                                 r"run: percpu-irq:   3 .* ok .* ticks of 1000 us",
                                 r"run: percpu-irq: PASS", r"run: smp-barrier: PASS",
                                 PI4_HALT],
               reject=skipped, timeout=180),
        # no run=: every registered test, and the registry walk that checks each one ran
        r.Case("board-rpi4-raspi4b-default",
               pi4(""),
               status="halted",
               expect=PI4_LOG + [brought(1, 4), r"run: percpu-irq: PASS", r"run: mmu-walk: PASS",
                                 r"run: (\d+) of \1 registered tests ran, \1 passed",
                                 PI4_HALT],
               reject=skipped, timeout=180),
        # a panic on a secondary CPU: the board has no way out but the halt
        r.Case("board-rpi4-raspi4b-panic-secondary",
               pi4("run=panic-secondary"),
               status="halted", result="FAIL",
               expect=PI4_LOG + [r"PANIC: CPU3: .*undefined instruction",
                                 r"the CPUs halt after the RESULT line\n"
                                 r"RESULT: FAIL panic: "],
               timeout=120),
        # parameters through /chosen/bootargs (QEMU -append rewrites the tree's)
        r.Case("board-rpi4-raspi4b-params",
               pi4("percpu_allocator=areamap percpu_alloc=page percpu_chunks=km "
                   "run=dt,percpu-alloc,percpu-irq no_such_param=1"),
               status="halted",
               expect=PI4_LOG + [r"Kernel command line: percpu_allocator=areamap",
                                 r"percpu: \d+ 4K pages/cpu",
                                 r"dynamic allocator areamap, km chunks",
                                 r'unknown parameter "no_such_param" ignored', brought(1, 4),
                                 r"run: percpu-irq: PASS", PI4_HALT],
               reject=skipped, timeout=180),
        # cmdline.txt as the Pi 4 firmware hands it over: its own words first, each reported
        # and ignored, the user's after them
        r.Case("board-rpi4-raspi4b-firmware-words",
               pi4(PI4_FW_WORDS + "  run=dt,percpu-irq"),
               status="halted",
               expect=PI4_LOG + [r'unknown parameter "vc_mem\.mem_size" ignored',
                                 brought(1, 4), r"run: percpu-irq: PASS", PI4_HALT],
               counts={r'^WARNING: boot: unknown parameter "\S+" ignored$': 11},
               reject=skipped, timeout=180),
        r.Case("board-rpi4-raspi4b-stress",
               pi4("run=percpu-stress"),
               status="halted",
               expect=PI4_LOG + [brought(1, 4), r"run: percpu-stress: PASS", PI4_HALT],
               reject=skipped + [r"[1-9]\d* zero / ", r"/ [1-9]\d* pattern errors"],
               timeout=240),
        r.Case("board-rpi4-raspi4b-maxcpus2",
               pi4("maxcpus=2 run=dt," + PERCPU),
               status="halted",
               expect=PI4_LOG + [brought(1, 2), r"smp: online CPUs 0-1$",
                                 r"pcpu-alloc: \[0\] 0 \[0\] 1 \[0\] 2 \[0\] 3",
                                 r"run: percpu-irq: PASS", PI4_HALT],
               reject=skipped, timeout=180),
        # U-Boot's boot scan runs boot.scr from the card (QEMU puts -sd on the Arasan
        # controller mmc@7e300000, U-Boot's mmc 0; the board's slot is EMMC2, mmc 1)
        r.Case("board-rpi4-sdcard-uboot-raspi4b",
               pi4("run=dt,percpu-alloc," + PERCPU, image=RPI4_UBOOT,
                   extra=["-drive", f"if=sd,format=raw,file={RPI4_SD},snapshot=on"]),
               prepare=need_sdcard, status="halted",
               expect=[r"MMC:   mmc@7e300000: 0, mmc@7e340000: 1",
                       r"Booting bootflow 'mmc@7e300000\.bootdev\.part_1' with script",
                       r"pcpurt: boot script",
                       r"pcpurt: kernel8.img from mmc 0:1, tree at 8000000", r"\d+ bytes read",
                       r"pcpurt: booti 0x0*80000 - 8000000, bootargs: run=dt,percpu-alloc,",
                       r"Starting kernel"] + PI4_LOG +
                      [r"Kernel command line: run=dt,percpu-alloc,", brought(1, 4), PI4_GIC,
                       r"run: percpu-irq: PASS", r"run: smp-barrier: PASS", PI4_HALT],
               reject=skipped, timeout=240),
        # /memory as the firmware of a 2 GB board writes it: two ranges, the second GiB
        # (real RAM under QEMU, which itself tells of the first 948 MiB only)
        r.Case("board-rpi4-sdcard-memory-2gb-raspi4b",
               pi4("run=dt,percpu-identity,percpu-page-walk,percpu-irq,percpu-stress",
                   image=RPI4_UBOOT),
               prepare=memory_2gb_card, status="halted",
               expect=[r"pcpurt test: /memory of a 2 GB Pi 4",
                       r"reg = <0x00000000 0x00000000 0x3b400000 0x00000000 0x40000000 "
                       r"0x40000000>", r"Starting kernel"] + PI4_LOG +
                      [r"Memory: \[mem 0x0+-0x0+3b3fffff\] node 0",
                       r"Memory: \[mem 0x0+40000000-0x0+7fffffff\] node 0",
                       brought(1, 4), r"percpu-identity:   3 .* unit 0x7ff[0-9a-f]{5} node 0",
                       r"run: percpu-identity: PASS",
                       r"run: percpu-page-walk: PASS", r"run: percpu-irq: PASS",
                       r"run: percpu-stress: PASS", PI4_HALT],
               reject=skipped, timeout=240),
        # the same card with Debian 12's U-Boot 2023.01 (distro boot instead of bootflow)
        r.Case("board-rpi4-sdcard-uboot2023-raspi4b",
               pi4("run=dt,percpu-irq", image=None,
                   extra=["-drive", f"if=sd,format=raw,file={RPI4_SD},snapshot=on"]),
               prepare=uboot_rpi("bookworm"),
               status="halted",
               expect=[r"Scanning mmc 0:1\.\.\.", r"Found U-Boot script /boot\.scr",
                       r"pcpurt: boot script", r"pcpurt: kernel8.img from mmc 0:1",
                       r"pcpurt: booti 0x0*80000 - 8000000, bootargs: run=dt,percpu-irq",
                       r"Starting kernel"] + PI4_LOG +
                      [brought(1, 4), PI4_GIC, r"run: percpu-irq: PASS", PI4_HALT],
               reject=skipped, timeout=240),
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
