"""fdt_corrupt.py - make a device tree that passes QEMU's and OpenSBI's walks but fails
fdt_check_full: the name offset of the last property points past the strings block.

libfdt (Debian's python3-libfdt) finds that property; only its name offset, the third
big-endian word of the property's tag, is overwritten here.
"""
import struct
import sys

try:
    import libfdt
except ImportError:  # a python3 other than Debian's (pyenv, a venv) comes first in PATH
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import libfdt
    except ImportError:
        sys.exit("fdt_corrupt: python3-libfdt is missing: run scripts/deps.sh")


def last_property_offset(fdt):
    """Structure-block offset of the last property in the tree, by libfdt's walk."""
    last, node, depth = None, 0, 0
    while node >= 0 and depth >= 0:
        prop = fdt.first_property_offset(node, (libfdt.NOTFOUND,))
        while prop >= 0:
            last = prop
            prop = fdt.next_property_offset(prop, (libfdt.NOTFOUND,))
        node, depth = fdt.next_node(node, depth, (libfdt.NOTFOUND,))
    assert last is not None, "no property found"
    return last


def corrupt_last_prop_name(blob):
    fdt = libfdt.Fdt(blob)
    b = bytearray(blob)
    nameoff_at = fdt.off_dt_struct() + last_property_offset(fdt) + 8
    struct.pack_into(">I", b, nameoff_at, fdt.size_dt_strings() + 0x1000)
    return bytes(b)


if __name__ == "__main__":
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(corrupt_last_prop_name(data))
