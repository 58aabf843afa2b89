"""cases_lifecycle.py - cross-CPU calls and CPU hotplug (issue 14).

- smp-call: every CPU calls every other (single and many, waiting or not, waiting with
  interrupts masked) while the targets are busy with interrupts on; every call must run
  exactly once on its target. 4 CPUs (arm64 on GICv2 and on GICv3), 8 CPUs in 2 nodes, 64
  CPUs; a maxcpus= case, where a call to the offline CPU must fail with -ENXIO.
"""

CALL_OK = r"run: smp-call: \d+ calls on {n} CPUs, each ran once on its target; latency us"


def call_cases(r):
    B, Case = r.qemu.Boot, r.Case
    out = []
    for arch in ("arm64", "riscv64"):
        for n, nodes, extra in ((4, 1, []), (8, 2, []), (64, 4, [])):
            out.append(Case(f"{arch}-smp-call-{n}cpu", B(arch, smp=n, nodes=nodes,
                                                         mem_mb=4096 if n > 8 else 2048,
                                                         machine_opts=extra,
                                                         append="run=smp-call"),
                            expect=[CALL_OK.format(n=n), r"run: smp-call: PASS",
                                    rf"^run: smp-call: +{n - 1} +\d+ +0x[0-9a-f]+ +ok +"
                                    r"\d+ calls in, latency us min/med/max \d+/\d+/\d+$"],
                            timeout=240 if n > 8 else 90, alone=n > 8))
        out.append(Case(f"{arch}-smp-call-maxcpus", B(arch, smp=4, append="maxcpus=3 "
                                                      "run=smp-call"),
                        expect=[CALL_OK.format(n=3), r"call to offline CPU3: -6$"]))
    out.append(Case("arm64-smp-call-gicv3", B("arm64", smp=4, machine_opts=["gic-version=3"],
                                              append="run=smp-call"),
                    expect=[CALL_OK.format(n=4), r"GICv3 at"]))
    return out


def cases(r):
    return call_cases(r)
