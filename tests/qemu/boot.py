#!/usr/bin/env python3
"""boot.py - boot pcpurt in QEMU interactively (make run / make debug).

  tests/qemu/boot.py ARCH [--smp N] [--nodes N] [--append "..."] [--uboot] [--gdb] [--elf]
             [--stack bookworm|current]
  tests/qemu/boot.py arm64 --raspi4b [--sd] [--append "..."]    the Pi 4 image (make sdimage)
             on QEMU 10's -M raspi4b with the Pi 4 tree: kernel8.img, or with --sd U-Boot
             reading build/arm64-rpi4/sdcard.img (a snapshot: the file is not changed)
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("arch", choices=["arm64", "riscv64"])
    ap.add_argument("--build", default="qemu-virt", help="build/<arch>-<BUILD>/")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--nodes", type=int, default=2)
    ap.add_argument("--mem", type=int, default=2048, help="MiB in all")
    ap.add_argument("--append", default="")
    ap.add_argument("--uboot", action="store_true", help="boot through U-Boot (type booti)")
    ap.add_argument("--elf", action="store_true", help="start the ELF, not the Image")
    ap.add_argument("--gdb", action="store_true", help="wait for gdb on :1234")
    ap.add_argument("--stack", default=os.environ.get("STACK", "bookworm"),
                    choices=qemu.Stack.NAMES, help="Debian 12's QEMU or the current one")
    ap.add_argument("--raspi4b", action="store_true",
                    help="the rpi4 build on -M raspi4b (current stack), halts after RESULT")
    ap.add_argument("--sd", action="store_true", help="with --raspi4b: U-Boot and the SD card")
    args, extra = ap.parse_known_args()
    how = "uboot" if args.uboot else "elf" if args.elf else "image"
    if args.raspi4b:
        out = os.path.join("build", "arm64-rpi4")
        dtb = os.path.join(os.environ.get("PCPURT_DTB_DIR", "../shared/dtb"),
                           "bcm2711-rpi-4-b.dtb")
        image = os.path.join(out, "boot", "kernel8.img")
        if args.sd:
            image = os.path.join(out, "sd", "u-boot.bin")
            extra += ["-drive", f"if=sd,format=raw,file={out}/sdcard.img,snapshot=on"]
        b = qemu.Boot("arm64", machine="raspi4b", smp=4, mem_mb=2048, dtb=dtb, image=image,
                      append=args.append, semihosting=False, extra=extra, stack="current")
    else:
        b = qemu.Boot(args.arch, build=args.build, smp=args.smp, nodes=args.nodes,
                      mem_mb=args.mem, append=args.append, how=how, extra=extra,
                      stack=args.stack)
    cmd = b.command(gdb=args.gdb)
    if how == "uboot":
        print("At the U-Boot prompt type:\n  " + "\n  ".join(b.uboot_script()), flush=True)
    print("+ " + " ".join(cmd), flush=True)
    os.execvpe(cmd[0], cmd, b.stack.env())


if __name__ == "__main__":
    main()
