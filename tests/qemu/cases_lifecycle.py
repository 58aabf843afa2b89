"""cases_lifecycle.py - cross-CPU calls and CPU hotplug (issue 14).

- smp-call: every CPU calls every other (single and many, waiting or not, waiting with
  interrupts masked) while the targets are busy with interrupts on; every call must run
  exactly once on its target. 4 CPUs (arm64 on GICv2 and on GICv3), 8 CPUs in 2 nodes, 64
  CPUs; a maxcpus= case, where a call to the offline CPU must fail with -ENXIO.
- cpu-hotplug: random CPUs go down and come back while the others work (4 CPUs with many
  cycles, 8 in 2 nodes, 64 with fewer); the boot CPU taken down with the run driven from
  CPU 1; maxcpus=2 and the rest started by cpu_up(); 2 CPUs (the last online CPU refused);
  through U-Boot. Every run also checks the refusals and the rollback of a failing step at
  each level both ways. The Pi's spin-table refusal is in cases_boards.py.
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


HP_OK = [r"run: cpu-hotplug: \d+ increments on \d+ possible CPUs, counters exact, "
         r"percpu_counter sum (\d+) read \d+ \(batch \d+\), \d+ allocations intact$",
         r"run: cpu-hotplug: cpu_down us min/median/max \d+/\d+/\d+ over \d+ cycles",
         r"run: cpu-hotplug: cpu_up us min/median/max \d+/\d+/\d+ over \d+ cycles",
         r"leaks: kmalloc (\d+) -> \1 bytes, per-CPU allocations (\d+) -> \2,",
         r"run: cpu-hotplug: \d+ cross-CPU calls accepted and run once each, \d+ refused",
         r"run: cpu-hotplug: \d+ walks of the online CPUs under cpus_read_lock\(\), the set "
         r"unchanged in each",
         r"run: cpu-hotplug: PASS"]
# what every run checks before its cycles (CPU4 / CPU11: impossible on 4 CPUs)
HP_BAD = [r"cpu_down: CPU\d+: refused: not a possible CPU \(-22\)$",
          r"cpu_up: CPU\d+: refused: already online \(-114\)$",
          r"cpu_down: CPU\d+: refused: it runs cpu_down\(\) itself \(-16\)$",
          r"cpu_down: CPU\d+: refused: already offline \(-114\)$",
          r"cpu_up: CPU\d+: failed to start \((PSCI: invalid parameters|SBI: invalid "
          r"parameter), error -5\): rolled back, still offline$",
          r"cpu_up: CPU\d+: a prepare step failed \(-5\): rolled back, still offline$",
          r"cpuhp: CPU\d+: test:starting \(starting\) startup failed \(-5\)",
          r"cpuhp: CPU\d+: test:online \(online\) startup failed \(-5\)",
          r"cpu_down: CPU\d+: a prepare teardown failed \(-5\): bringing it back$",
          r"cpuhp: CPU\d+: test:starting \(starting\) teardown failed \(-5\)",
          r"cpu_down: CPU\d+: a step on the CPU failed \(-5\): rolled back, still online$"]


def killed(arch):
    return (r"^psci: CPU\d+ killed \(polled \d+ ms\)$" if arch == "arm64" else
            r"^CPU\d+: off \(hart \d+ stopped, polled \d+ ms\)$")


def hotplug_cases(r):
    B, Case = r.qemu.Boot, r.Case
    out = []
    for arch in ("arm64", "riscv64"):
        common = HP_OK + HP_BAD + [killed(arch), r"^CPU\d+: shutdown$",
                                   r"^CPU\d+: Booted secondary processor 0x[0-9a-f]{10}$"]
        for n, nodes, cyc in ((4, 1, 100), (8, 2, 30), (64, 4, 6)):
            out.append(Case(f"{arch}-hotplug-{n}cpu", B(arch, smp=n, nodes=nodes,
                                                        mem_mb=4096 if n > 8 else 2048,
                                                        append=f"run=cpu-hotplug,smp-call "
                                                        f"hotplug_cycles={cyc}"),
                            expect=common + [rf"over {cyc} cycles",
                                             r"run: smp-call: PASS"],
                            timeout=300 if n > 8 else 120, alone=n > 8))
        out.append(Case(f"{arch}-hotplug-boot-cpu",
                        B(arch, smp=4, append="run=cpu-hotplug,smp-call,percpu-counter "
                          "hotplug_cycles=20 hotplug_boot_cpu=1"),
                        expect=common + [r"run: the run goes on on CPU1; CPU0 idles",
                                         r"^CPU0: shutdown$",
                                         r"^CPU0: Booted secondary processor",
                                         r"run: smp-call: PASS", r"RESULT: PASS"]))
        out.append(Case(f"{arch}-hotplug-maxcpus2",
                        B(arch, smp=4, append="maxcpus=2 run=cpu-hotplug,smp-call "
                          "hotplug_cycles=20"),
                        expect=common + [r"smp: online CPUs 0-1$",
                                         r"run: cpu-hotplug: 2 CPUs held back at boot started "
                                         r"by cpu_up\(\), 4 online$",
                                         r"run: smp-call: \d+ calls on 4 CPUs"]))
        out.append(Case(f"{arch}-hotplug-2cpu",
                        B(arch, smp=2, append="run=cpu-hotplug hotplug_cycles=10"),
                        expect=common + [r"cpu_down: CPU0: refused: the last online CPU "
                                         r"\(-16\)$"]))
        out.append(Case(f"{arch}-hotplug-uboot",
                        B(arch, smp=4, how="uboot", append="run=cpu-hotplug,smp-call "
                          "hotplug_cycles=20"),
                        expect=common + ["Starting kernel", r"run: smp-call: PASS"],
                        timeout=180))
    return out


def cases(r):
    return call_cases(r) + hotplug_cases(r)
