"""bench_vm.py - issue 5's measurements for `make bench` (called by bench.py): boot time to
all CPUs online with the MMU on and per-CPU areas ready, for 4, 64 and 512 CPUs and both
first chunks; and the percpu-stress rate on km chunks against vm chunks, side by side.

Boot time is what the runtime prints ("smp: all online N us after reset"): the
architecture counter starts at reset, so firmware (OpenSBI on riscv) is included. QEMU's
wall time for the whole boot is listed too. Nothing is asserted.
"""
import concurrent.futures as cf
import re

import qemu

BOOTS = [(4, 1), (64, 4), (512, 4)]
ONLINE = re.compile(r"^smp: all online (\d+) us after reset", re.M)
BROUGHT = re.compile(r"^smp: Brought up (\d+) nodes?, (\d+) CPUs?", re.M)
STRESS_ROW = re.compile(r"^run: percpu-stress:\s+\d+\s+\d+\s+\S+\s+ok\s+(\d+) allocs, (\d+) frees",
                        re.M)
STRESS_TIME = re.compile(r"^run: percpu-stress: PASS \((\d+) us\)", re.M)
TITLE = "## Virtual memory (issue 5)"


def boot_case(arch, cpus, nodes, fc):
    b = qemu.Boot(arch, smp=cpus, nodes=nodes, mem_mb=4096 if cpus > 8 else 1024,
                  append=f"percpu_alloc={fc} run=percpu-identity")
    status, log, secs = qemu.run(b, 400)
    m, br = ONLINE.search(log), BROUGHT.search(log)
    return {"arch": arch, "cpus": cpus, "fc": fc, "secs": secs,
            "online_us": int(m.group(1)) if m else None,
            "up": int(br.group(2)) if br else None, "status": status}


def stress_case(arch, backend):
    b = qemu.Boot(arch, smp=4, nodes=2, mem_mb=1024,
                  append=f"percpu_chunks={backend} percpu_stress_iterations=4000 "
                         "run=percpu-stress")
    status, log, secs = qemu.run(b, 300)
    ops = sum(int(a) + int(f) for a, f in STRESS_ROW.findall(log))
    t = STRESS_TIME.search(log)
    us = int(t.group(1)) if t else None
    return {"arch": arch, "backend": backend, "ops": ops, "us": us,
            "rate": ops / us * 1e6 if us else None, "status": status}


def run(arches, jobs):
    """Returns (text for the console, markdown section)."""
    with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
        bf = [ex.submit(boot_case, a, c, n, fc) for a in arches for c, n in BOOTS
              for fc in ("embed", "page")]
        sf = [ex.submit(stress_case, a, k) for a in arches for k in ("km", "vm")]
        boots = [f.result() for f in bf]
        stress = [f.result() for f in sf]
    head = ["arch", "CPUs asked", "CPUs up", "first chunk", "online after reset (ms)",
            "QEMU wall (s)"]
    rows = [[b["arch"], str(b["cpus"]), str(b["up"] or "-"), b["fc"],
             f"{b['online_us'] / 1000:.1f}" if b["online_us"] else "n/a",
             f"{b['secs']:.1f}"] for b in boots]
    shead = ["arch", "chunks", "allocs + frees", "time (ms)", "ops/s", "vm / km"]
    srows = []
    for s in stress:
        km = next((x for x in stress if x["arch"] == s["arch"] and x["backend"] == "km"), None)
        ratio = (f"{s['rate'] / km['rate']:.2f}" if s["backend"] == "vm" and km and km["rate"]
                 and s["rate"] else "")
        srows.append([s["arch"], s["backend"], str(s["ops"]),
                      f"{s['us'] / 1000:.0f}" if s["us"] else "n/a",
                      f"{s['rate']:.0f}" if s["rate"] else "n/a", ratio])

    def md(h, rs):
        return "\n".join(["| " + " | ".join(h) + " |", "|" + "---|" * len(h)] +
                         ["| " + " | ".join(r) + " |" for r in rs]) + "\n"

    def txt(h, rs):
        w = [max(len(x) for x in col) for col in zip(h, *rs)]
        return "\n".join("  ".join(x.ljust(n) for x, n in zip(r, w)) for r in [h] + rs)

    text = ("\n=== boot time (MMU on, per-CPU areas ready) ===\n" + txt(head, rows) +
            "\n\n=== percpu-stress, 4 CPUs in 2 nodes: km against vm chunks ===\n" +
            txt(shead, srows))
    mdtext = (f"{TITLE}\n\n"
              "Boot time from reset to all CPUs online with the MMU on and the per-CPU areas "
              "ready, as the runtime prints it (`smp: all online N us after reset`; firmware "
              "included: OpenSBI on riscv64, nothing on arm64 QEMU virt). OpenSBI 1.1 serves "
              "at most 128 harts, so riscv64 asked for 512 brings up 128. QEMU (TCG) runs the "
              "vCPUs on this machine's few cores, so times grow with the CPU count for that "
              "reason too. On riscv64 most of the time is the firmware's: under QEMU, "
              "OpenSBI 1.1's harts spin until they are started (and the 384 it does not "
              "serve spin throughout), which slows the boot hart down in OpenSBI's own cold "
              "boot and in ours; the runtime starts all CPUs at once, so bring-up itself "
              "takes milliseconds.\n\n" + md(head, rows) +
              "\n`percpu-stress` on 4 CPUs in 2 nodes (4000 iterations per CPU): the same "
              "workload with chunks from the km backend (physically contiguous, populated "
              "when created) and from the vm backend (vmalloc area, pages mapped on demand "
              "from each CPU's node, unmapped with TLB maintenance on every CPU).\n\n" +
              md(shead, srows))
    return text, mdtext
