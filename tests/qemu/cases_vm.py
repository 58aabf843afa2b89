"""cases_vm.py - the page-granular MMU at work for per-CPU memory (issue 5).

- every first chunk (embed, page) on 4 and 8 CPUs in 1, 2 and 4 NUMA nodes, both arches:
  the page tables of every CPU's unit walked, each page on its CPU's node;
- embed falling back to the page first chunk when the groups lie too far apart for the
  vmalloc area (Linux's three-quarters rule; `vmalloc=` makes the area small);
- percpu-stress on vm chunks (pages populated on demand, depopulated afterwards) and on km;
- touching an unpopulated page of a vm chunk ends in a reported fault.
"""

WALK = "percpu-page-walk,percpu-identity,percpu-counter,percpu-ops"
VM_STATS = (r"percpu: vm chunks: [1-9]\d* created, [1-9]\d* destroyed; [1-9]\d* pages "
            r"populated, [1-9]\d* depopulated")


def cases(r):
    B, Case = r.qemu.Boot, r.Case
    out = []
    for arch in ("arm64", "riscv64"):
        for cpus in (4, 8):
            for nodes in (1, 2, 4):
                for fc in ("embed", "page"):
                    first = (r"percpu: Embedded \d+ pages/cpu" if fc == "embed"
                             else r"percpu: \d+ 4K pages/cpu s\d+ r8192 d\d+$")
                    out.append(Case(f"{arch}-vm-{fc}-{cpus}cpu-{nodes}node",
                                    B(arch, smp=cpus, nodes=nodes, mem_mb=512 * nodes,
                                      append=f"percpu_alloc={fc} run={WALK}"),
                                    expect=[first, r.brought(nodes, cpus),
                                            r"percpu-page-walk: \w+ first chunk, \d+ CPUs, "
                                            r"\d+ pages walked, 0 wrong"]))
        out.append(Case(f"{arch}-vm-embed-fallback",
                        B(arch, smp=4, nodes=2, mem_mb=2048,
                          append=f"vmalloc=1G run={WALK}"),
                        expect=[r"percpu: max_distance=0x[0-9a-f]+ too large for vmalloc "
                                r"space 0x40000000$",
                                r"percpu: embed allocator failed \(-22\), falling back to "
                                r"page size$",
                                r"percpu: \d+ 4K pages/cpu", r.brought(2, 4)]))
        out.append(Case(f"{arch}-vm-stress-4cpu", B(arch, smp=4, nodes=2, mem_mb=1024,
                                                    append="percpu_chunks=vm run=percpu-stress"),
                        expect=[r"vm chunks, \d+ dynamic", VM_STATS], timeout=120))
        out.append(Case(f"{arch}-km-stress-4cpu", B(arch, smp=4, nodes=2, mem_mb=1024,
                                                    append="percpu_chunks=km run=percpu-stress"),
                        expect=[r"km chunks, \d+ dynamic", r"percpu: km chunks: \d+ created"],
                        timeout=120))
        out.append(Case(f"{arch}-fault-unpopulated-percpu",
                        B(arch, smp=2, append="percpu_chunks=vm run=percpu-unpopulated"),
                        status=2, result="FAIL",
                        expect=[r"PANIC: CPU0: unpopulated per-CPU page: "], timeout=30))
    return out
