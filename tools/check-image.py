#!/usr/bin/env python3
"""check-image.py IMAGE ELF ARCH - the raw Image starts with its architecture's Linux Image
header (what U-Boot booti and the Raspberry Pi firmware check) and its image_size covers
the whole image including BSS, as the ELF's _text.._end says."""
import struct
import subprocess
import sys

image, elf, arch = sys.argv[1:4]
with open(image, "rb") as f:
    hdr = f.read(64)
syms = {}
for line in subprocess.run(["llvm-nm", elf], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3:
        syms[parts[2]] = int(parts[0], 16)
want_size = syms["_end"] - syms["_text"]
_, _, text_offset, image_size, flags = struct.unpack("<IIQQQ", hdr[:32])
errors = []
if arch == "arm64":
    if hdr[0x38:0x3c] != b"ARM\x64":
        errors.append("no ARM\\x64 magic at 0x38")
    if flags & 0xf != 0xa:
        errors.append(f"flags {flags:#x}: want LE, 4K pages, anywhere (0xa)")
else:
    if hdr[0x30:0x38] != b"RISCV\0\0\0" or hdr[0x38:0x3c] != b"RSC\x05":
        errors.append("no RISCV / RSC\\x05 magic")
if image_size != want_size or image_size == 0:
    errors.append(f"image_size {image_size:#x}, want {want_size:#x}")
if errors:
    sys.exit(f"check-image: {image}: " + "; ".join(errors))
