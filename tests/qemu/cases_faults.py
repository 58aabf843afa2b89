"""cases_faults.py - boots that must end in a reported fault (MMU permissions, guard pages).

Each must power off with the panic status (2) and one RESULT: FAIL line naming the fault;
a hang (timeout) or a run that returns fails the case.
"""

FAULTS = [
    ("fault-text-write", r"PANIC: CPU0: .*(permission|page fault)"),
    ("fault-exec-data", r"PANIC: CPU0: .*(instruction|permission|page fault)"),
    ("fault-stack-overflow", r"PANIC: CPU0: kernel stack overflow"),
]


def cases(r):
    out = []
    for arch in ("arm64", "riscv64"):
        for name, pat in FAULTS:
            out.append(r.Case(f"{arch}-{name}", r.qemu.Boot(arch, smp=2, append="run=" + name),
                              status=2, result="FAIL", expect=[pat], timeout=30))
    return out
