"""cases_topo.py - topologies that real machines have (issue 11): all names start "topo-".

- a NUMA node with CPUs but no memory (`-numa node` without memdev): each CPU's unit (and
  stack, and dynamic per-CPU pages) comes from the nearest node with memory, the lower node
  on a tie, said once per such node; arm64 with that node first, in the middle and last,
  riscv last (QEMU 7.2's riscv virt aborts otherwise: "qemu_fdt_add_subnode: Failed to
  create subnode /memory@a0000000: FDT_ERR_EXISTS" for one in the middle). The distances are chosen so that the
  nearest node is never the one with the highest memory, where Linux's fallback would go;
- a /distance-map Linux rejects (a remote distance of 10, a self distance of 20): NUMA off,
  one node faked over all memory, with Linux's lines;
- a cpu node with status "disabled": possible and present but offline on arm64 (its unit is
  in the pcpu-alloc lines), left out on riscv.
"""

WORK = ("percpu-counter,percpu-identity,percpu-ops,percpu-page-walk,smp-lock,smp-barrier")


def memless_line(node, src, dist):
    return (rf"^NUMA: node {node} has no memory: its CPUs' per-CPU units and stacks come from "
            rf"node {src}, the nearest node with memory \(distance {dist}\)$")


def cases(r):
    B, Case = r.qemu.Boot, r.Case
    out = []
    ok = [r"run: percpu-identity: PASS", r"run: percpu-page-walk: PASS",
          r"percpu-page-walk: \w+ first chunk, \d+ CPUs, \d+ pages walked, 0 wrong"]
    # no allocation for a memory-less node may fall back to "any node"
    no_fallback = [r"memblock: no room", r"page_alloc: no room"]
    # (name, arch, memory-less node, distances, nearest node, its distance)
    memless = [
        # node 0 without memory; node 2's memory is the highest, node 1 is nearer
        ("first", "arm64", 0, {(0, 1): 15, (0, 2): 25, (1, 2): 20}, 1, 15),
        # node 1 without memory, nodes 0 and 2 at the same distance: the lower wins
        ("middle-tie", "arm64", 1, {(0, 1): 20, (1, 2): 20, (0, 2): 30}, 0, 20),
        # node 2 without memory; node 1's memory is the highest, node 0 is nearer
        ("last", "arm64", 2, {(0, 2): 15, (1, 2): 25, (0, 1): 20}, 0, 15),
        ("last", "riscv64", 2, {(0, 2): 15, (1, 2): 25, (0, 1): 20}, 0, 15),
    ]
    for name, arch, node, dist, src, d in memless:
        out.append(Case(f"topo-{arch}-memless-{name}",
                        B(arch, smp=6, nodes=3, memless=[node], dist=dist, mem_mb=1024,
                          append="run=" + WORK),
                        expect=ok + [r.brought(3, 6), r"NUMA: 3 nodes, distances from "
                                     r"/distance-map",
                                     # three groups, one per node: the memory-less node's
                                     # CPUs keep their own group
                                     r"^pcpu-alloc: (\[[0-2]\] [0-5] ){6}$"],
                        counts={memless_line(node, src, d): 1,
                                r"has no memory": 1},
                        reject=no_fallback))
    # the memory-less node through the page first chunk: every page of its units
    out.append(Case("topo-arm64-memless-first-page",
                    B("arm64", smp=6, nodes=3, memless=[0], dist=memless[0][3], mem_mb=1024,
                      append="percpu_alloc=page run=" + WORK),
                    expect=ok + [r.brought(3, 6), r"percpu: \d+ 4K pages/cpu"],
                    counts={memless_line(0, 1, 15): 1}, reject=no_fallback))

    # invalid distance maps: (arch, matrix, Linux's complaint, the faked node's memory)
    bad_maps = [
        ("arm64", "0 0 10 0 1 10 1 0 20 1 1 10", r"node0 -> node1\] = 10",
         "0x0000000040000000-0x00000000bfffffff"),
        ("riscv64", "0 0 10 0 1 20 1 0 20 1 1 20", r"node1 -> node1\] = 20",
         "0x0000000080000000-0x00000000ffffffff"),
    ]
    for arch, matrix, why, mem in bad_maps:
        out.append(Case(f"topo-{arch}-bad-distance-map",
                        B(arch, smp=4, nodes=2, mem_mb=2048, append="run=dt," + WORK),
                        prepare=r.edited_tree("-tu", "/distance-map", "distance-matrix",
                                              *matrix.split()),
                        expect=ok + [r"^OF: NUMA: Invalid distance\[" + why + "$",
                                     rf"^NUMA: Faking a node at \[mem {mem}\]$",
                                     r"^NUMA: 1 node, faked: Linux rejects the /distance-map",
                                     r.brought(1, 4), r"^  cpu@\w+: \S+, node 0",
                                     # one group: every CPU on the fake node
                                     r"^pcpu-alloc: (\[0\] [0-3] ){4}$"],
                        reject=[r"^  cpu@\w+: \S+, node 1", r"^Memory: .* node 1$"]))

    # a disabled cpu node: arm64 possible and present, offline; riscv left out
    out.append(Case("topo-arm64-disabled-cpu",
                    B("arm64", smp=4, nodes=2, mem_mb=2048, append="run=dt," + WORK),
                    prepare=r.edited_tree("-ts", "/cpus/cpu@2", "status", "disabled"),
                    expect=ok + [r"^  cpu@2: psci, node 1, disabled$",
                                 r"^CPUs: 1 marked disabled in the device tree: cpu@2 \(possible "
                                 r"and present as in arm64 Linux, left offline\)$",
                                 r"^pcpu-alloc: \[0\] 0 \[0\] 1 \[1\] 2 \[1\] 3 $",
                                 r"percpu: NR_CPUS:\d+ nr_cpumask_bits:\d+ nr_cpu_ids:4 ",
                                 r.brought(2, 3), r"^smp: online CPUs 0-1,3$",
                                 r"^smp: CPUs 2 possible and present, left offline: disabled "
                                 r"in the device tree$"],
                    reject=[r"skipping cpu@2", r"CPU2: failed"]))
    out.append(Case("topo-riscv64-disabled-cpu",
                    B("riscv64", smp=4, nodes=2, mem_mb=2048, append="run=dt," + WORK),
                    prepare=r.edited_tree("-ts", "/cpus/cpu@2", "status", "disabled"),
                    expect=ok + [r"^  cpu@2: sbi-hsm, node 1, disabled, ",
                                 r"^CPUs: 1 marked disabled in the device tree: cpu@2 \(skipped, "
                                 r"as RISC-V Linux does\)$",
                                 r"^smp: skipping cpu@2: disabled in the device tree$",
                                 r"percpu: NR_CPUS:\d+ nr_cpumask_bits:\d+ nr_cpu_ids:3 ",
                                 r"^pcpu-alloc: (\[[01]\] [0-2] ){3,4}$",
                                 r.brought(2, 3), r"^smp: online CPUs 0-2$"],
                    reject=[r"left offline"]))
    return out
