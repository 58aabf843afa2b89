"""fdt_corrupt.py - make a device tree that passes QEMU's and OpenSBI's walks but fails
fdt_check_full: the name offset of the last property points past the strings block.

Only the header and the tag stream are read here (big-endian words), to find that
property; this is test tooling, not runtime code.
"""
import struct
import sys

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def corrupt_last_prop_name(blob):
    b = bytearray(blob)
    (magic, totalsize, off_struct, off_strings, _rsv, _ver, _lcv, _boot, size_strings,
     size_struct) = struct.unpack(">10I", b[:40])
    assert magic == 0xD00DFEED, "not a flattened device tree"
    pos, end, last = off_struct, off_struct + size_struct, None
    while pos < end:
        tag = struct.unpack(">I", b[pos:pos + 4])[0]
        pos += 4
        if tag == FDT_BEGIN_NODE:
            nul = b.index(0, pos)
            pos = (nul + 1 + 3) & ~3
        elif tag == FDT_PROP:
            length = struct.unpack(">I", b[pos:pos + 4])[0]
            last = pos + 4                      # where nameoff sits
            pos = (pos + 8 + length + 3) & ~3
        elif tag == FDT_END:
            break
    assert last is not None, "no property found"
    struct.pack_into(">I", b, last, size_strings + 0x1000)
    return bytes(b)


if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(corrupt_last_prop_name(data))
