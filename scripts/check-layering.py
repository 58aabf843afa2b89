#!/usr/bin/env python3
"""check-layering.py - the rules of docs/architecture.md ("What each folder may call") as a
build check: fails on a call or an include across folders that the rules forbid.

  scripts/check-layering.py --obj-dir build/arm64-qemu-virt/obj SOURCE...

SOURCE is every source file built into the image (the Makefile's SRCS). Two checks:

- Calls: each source's object (OBJ_DIR/SOURCE.o) is read with llvm-nm; every undefined
  symbol is looked up among the symbols the other objects define, and the edge from the
  caller's folder to the definer's folder must be in ALLOWED below (some edges only for
  the symbols listed there). libfdt's objects (OBJ_DIR/libfdt/*.o) count as folder
  "libfdt"; symbols no object defines (the linker script's) are not calls.
  An object of a runtime folder may not define a test or workload (the registry's
  pcpurt_run_name:<name> symbol): those live in tests/target/ and workloads/.
- Includes: each source and each header in its folder is read for #include lines: a
  quoted include must name a file of the includer's own folder; <asm/...> only in arch/,
  the arch's tests (tests/target/<arch>/) and the few generic headers that are its door;
  <libfdt.h> only where the rules say; percpu/ and lib/ only the headers listed in INCLUDE_ONLY.

Prints one line per forbidden edge (caller file, symbol or header, the folders) and exits
1 if there is any; 0 and one summary line otherwise. A missing object is an error (build
first). --root DIR reads sources, headers and objects relative to DIR (the negative test
uses a copy of the tree). --ext-dir DIR: the absolute sources under DIR are a WORKLOADS=DIR
folder, checked as workloads/ (objects in OBJ_DIR/ext/DIR/).
"""
import argparse
import os
import re
import subprocess
import sys

# Folders, top to bottom (docs/architecture.md). A file belongs to the longest prefix.
FOLDERS = [
    "boot", "tests/target", "workloads", "kernel", "drivers/of", "drivers/uart",
    "drivers/irq", "mm", "percpu", "arch", "lib", "include", "libfdt",
]

# Symbols any runtime folder may call in kernel/: logging, and the fatal-error exits.
LOG = {"printk", "vprintk", "panic", "fatal"}
# Generic code reaches arch/ only through the functions of include/pcpurt/arch.h and
# mmu.h, all named arch_*; ARCH_API is that rule (checked by name).
ARCH_API = "arch_*"

# caller folder -> {callee folder: None (any symbol) | set of symbols | ARCH_API}
ALLOWED = {
    # the entry and the boot sequence: calls every runtime service, called by nothing
    "boot": {"kernel": None, "drivers/of": None, "drivers/uart": None, "drivers/irq": None,
             "mm": None, "percpu": None, "arch": ARCH_API, "lib": None, "libfdt": None},
    # tests see the whole runtime (arch internals too: tests/target/<arch>/); they may
    # not call boot/ or the workloads
    "tests/target": {"kernel": None, "drivers/of": None, "drivers/uart": None,
                     "drivers/irq": None, "mm": None, "percpu": None, "arch": None,
                     "lib": None, "libfdt": None},
    # user workloads: the services of include/pcpurt/ like kernel/, nothing of the tests
    "workloads": {"kernel": None, "mm": None, "percpu": None, "arch": ARCH_API,
                  "lib": None},
    "kernel": {"drivers/of": None, "drivers/uart": None, "drivers/irq": None, "mm": None,
               "percpu": None, "arch": ARCH_API, "lib": None},
    "drivers/of": {"kernel": LOG, "lib": None, "libfdt": None},
    "drivers/uart": {"kernel": LOG, "arch": ARCH_API, "lib": None},
    # the GIC routes by hardware id: it reads the logical CPU map (kernel/smp.c)
    "drivers/irq": {"kernel": LOG | {"cpu_map"}, "arch": ARCH_API, "lib": None},
    "mm": {"kernel": LOG, "arch": ARCH_API, "lib": None},
    # pure C: printk, and the spin loops of pcpurt/spinlock.h (arch_cpu_nap)
    "percpu": {"kernel": LOG, "arch": ARCH_API, "lib": None},
    # arch/ provides the hooks generic code calls and calls the services it needs; into
    # boot/ only its entry
    "arch": {"boot": {"boot_main"}, "kernel": None, "drivers/of": None,
             "drivers/uart": None, "drivers/irq": None, "mm": None, "percpu": None,
             "lib": None, "libfdt": None},
    "lib": {"libfdt": None},
    "libfdt": {"lib": None},
}

# A DEFINE_TEST/DEFINE_WORKLOAD entry (include/pcpurt/run.h) defines this symbol: the
# runtime holds none, only the tests and the workloads do.
RUN_ENTRY = "pcpurt_run_name:"
RUN_ENTRY_OK = ("tests/target", "workloads")

# Includes. <asm/...>: arch/ and these gateway headers only.
ASM_OK = {"include/pcpurt/arch.h", "include/pcpurt/spinlock.h", "include/pcpurt/percpu.h",
          "boot/pcpurt.lds.S"}
# the arch's own tests (tests/target/<arch>/) see its <asm/...> headers
ARCH_TESTS = re.compile(r"^tests/target/(arm64|riscv)/")
LIBFDT_OK = ("boot", "drivers/of", "lib", "libfdt")
FREESTANDING = {"stdint.h", "stddef.h", "stdbool.h", "stdarg.h", "limits.h"}
# folder -> the only angle-bracket headers it may include (fnmatch-style '*' at the end)
INCLUDE_ONLY = {
    "percpu": FREESTANDING | {"string.h", "stdio.h", "pcpurt/compiler.h", "pcpurt/printk.h",
                              "pcpurt/spinlock.h", "pcpurt/percpu_*"},
    "lib": FREESTANDING | {"string.h", "stdio.h", "stdlib.h", "pcpurt/compiler.h",
                           "libfdt.h"},
}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


# WORKLOADS=DIR: its sources (absolute paths) count as workloads/
EXT_DIR = None


def folder_of(path):
    """The folder (FOLDERS entry) a repository-relative path belongs to."""
    if os.path.isabs(path):
        return "workloads" if EXT_DIR and path.startswith(EXT_DIR + "/") else None
    if path.startswith("libfdt/") or path.startswith("third_party/libfdt/"):
        return "libfdt"
    best = None
    for f in FOLDERS:
        if path == f or path.startswith(f + "/"):
            if best is None or len(f) > len(best):
                best = f
    return best


def allowed_call(caller, callee, sym):
    rule = ALLOWED.get(caller, {})
    if callee not in rule:
        return False
    what = rule[callee]
    if what is None:
        return True
    if what == ARCH_API:
        return sym.startswith("arch_")
    return sym in what


def nm(path):
    """(defined globals, undefined) symbol names of one object."""
    out = subprocess.run(["llvm-nm", "-P", path], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"check-layering: llvm-nm {path}: {out.stderr.strip()}")
    defined, undefined = set(), set()
    for line in out.stdout.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        if f[1] == "U":
            undefined.add(f[0])
        elif f[1] in "ABCDGRSTVW" and f[1] != "U":
            defined.add(f[0])
    return defined, undefined


def check_calls(root, obj_dir, sources, errors):
    owner = {}
    undef = {}
    # a WORKLOADS=DIR source /d/x.c is compiled to OBJ_DIR/ext/d/x.c.o (the Makefile)
    objs = [(s, os.path.join(obj_dir, ("ext" if os.path.isabs(s) else "") + s + ".o"))
            for s in sources]
    fdt_dir = os.path.join(obj_dir, "libfdt")
    if os.path.isdir(fdt_dir):
        objs += [("libfdt/" + o[:-2], os.path.join(fdt_dir, o))
                 for o in sorted(os.listdir(fdt_dir)) if o.endswith(".o")]
    for src, obj in objs:
        if not os.path.exists(obj):
            sys.exit(f"check-layering: {obj}: no such object (build the image first)")
        d, u = nm(obj)
        undef[src] = u
        for s in d:
            owner.setdefault(s, src)
            if s.startswith(RUN_ENTRY) and folder_of(src) not in RUN_ENTRY_OK:
                errors.append(f"{src}: defines the test or workload "
                              f"\"{s[len(RUN_ENTRY):]}\": they live in "
                              f"{' or '.join(f + '/' for f in RUN_ENTRY_OK)}")
    edges = 0
    for src in sorted(undef):
        a = folder_of(src)
        for sym in sorted(undef[src]):
            if sym not in owner:
                continue
            b = folder_of(owner[sym])
            if a == b:
                continue
            edges += 1
            if not allowed_call(a, b, sym):
                errors.append(f"{src}: calls {sym} ({owner[sym]}): {a}/ may not call {b}/")
    return edges


def headers_of(root, sources):
    """The sources, and every header in their folders (a header of a folder no source is
    in is still checked when a source of that folder exists)."""
    files = set(sources)
    for d in sorted({os.path.dirname(s) for s in sources} | {"include/pcpurt"}):
        full = os.path.join(root, d)
        if os.path.isdir(full):
            files |= {os.path.join(d, f) for f in os.listdir(full) if f.endswith(".h")}
    return sorted(files)


def include_ok(folder, name, only):
    for pat in only:
        if pat.endswith("*") and name.startswith(pat[:-1]) or name == pat:
            return True
    return False


def check_includes(root, sources, errors):
    count = 0
    for path in headers_of(root, sources):
        folder = folder_of(path)
        try:
            text = open(os.path.join(root, path), encoding="utf-8").read()
        except OSError as e:
            sys.exit(f"check-layering: {path}: {e.strerror}")
        for kind, name in INCLUDE_RE.findall(text):
            count += 1
            where = f"{path}: #include {kind}{name}{'>' if kind == '<' else chr(34)}"
            if kind == '"':
                here = os.path.join(root, os.path.dirname(path), name)
                if "/" in name or not os.path.isfile(here):
                    errors.append(f"{where}: a quoted include must name a file of "
                                  f"{os.path.dirname(path)}/")
                continue
            if "../" in name or name.split("/")[0] in ("arch", "tests", "boot", "kernel",
                                                        "drivers", "mm", "percpu"):
                errors.append(f"{where}: includes another folder's file by path")
            elif name.startswith("asm/") and folder != "arch" and path not in ASM_OK and \
                    not ARCH_TESTS.match(path):
                errors.append(f"{where}: {folder}/ reaches <asm/...> only through "
                              "pcpurt/arch.h or pcpurt/spinlock.h")
            elif name == "libfdt.h" and folder not in LIBFDT_OK:
                errors.append(f"{where}: libfdt is read by {', '.join(LIBFDT_OK)} only")
            elif folder in INCLUDE_ONLY and not include_ok(folder, name, INCLUDE_ONLY[folder]):
                errors.append(f"{where}: {folder}/ may include only "
                              f"{' '.join(sorted(INCLUDE_ONLY[folder]))}")
    return count


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--obj-dir", required=True)
    ap.add_argument("--root", default=".")
    ap.add_argument("--ext-dir", help="the WORKLOADS=DIR folder (absolute): its sources are "
                    "checked as workloads/")
    ap.add_argument("sources", nargs="+")
    args = ap.parse_args()
    global EXT_DIR
    EXT_DIR = args.ext_dir.rstrip("/") if args.ext_dir else None
    for s in args.sources:
        if folder_of(s) is None:
            sys.exit(f"check-layering: {s}: in no known folder (add it to FOLDERS and "
                     "ALLOWED, and to docs/architecture.md)")
    errors = []
    obj_dir = os.path.join(args.root, args.obj_dir)
    edges = check_calls(args.root, obj_dir, args.sources, errors)
    incs = check_includes(args.root, args.sources, errors)
    for e in errors:
        print(f"check-layering: {e}", file=sys.stderr)
    if errors:
        print(f"check-layering: {len(errors)} forbidden edge(s) (docs/architecture.md, "
              "scripts/check-layering.py ALLOWED)", file=sys.stderr)
        return 1
    print(f"  LAYERS  {args.obj_dir}: {len(args.sources)} files, {edges} cross-folder "
          f"references and {incs} includes checked, none forbidden")
    return 0


if __name__ == "__main__":
    sys.exit(main())
