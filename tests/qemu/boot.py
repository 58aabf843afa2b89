#!/usr/bin/env python3
"""boot.py - boot pcpurt in QEMU interactively (make run / make debug).

  tests/qemu/boot.py ARCH [--smp N] [--nodes N] [--append "..."] [--uboot] [--gdb] [--elf]
             [--stack bookworm|current]
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
    args, extra = ap.parse_known_args()
    how = "uboot" if args.uboot else "elf" if args.elf else "image"
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
