"""cases_workloads.py - the example workloads of workloads/ on both arches, and
`make WORKLOADS=DIR`: the example of docs/workloads.md built from a folder outside the
runtime's and booted, a folder whose file does not compile, one that takes a name already
taken, a folder that does not exist and one with no .c file (each of the last four must
fail the build with a message naming the file or folder).

A WORKLOADS= build goes to its own build/qemu-tests/ext-<case>/, so that the images the
other cases boot stay as they are. It starts from a copy of build/<arch>-qemu-virt/ (which
`make test-qemu` has just built), so only the folder's files are compiled and the image is
linked again.
"""
import os
import shutil
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "workloads.md")
EXAMPLE = os.path.join(HERE, "ext-workloads", "hello_percpu.c")
# "1.23" millions of increments a second, three ways
MOPS_ROW = r"^counter-scaling: +{} +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d$"


def ext_build(case, arch, folder):
    """make WORKLOADS=folder into the case's own output folder: (exit status, output, dir)."""
    out = os.path.join("build", "qemu-tests", "ext-" + case.name)
    base = os.path.join("build", f"{arch}-qemu-virt")
    if os.path.isdir(base):
        shutil.copytree(base, out, symlinks=True, dirs_exist_ok=True)  # keeps the times
    # not the outer make's flags and jobserver (make test-qemu runs this runner)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    p = subprocess.run(["make", "--no-print-directory", f"O={out}", f"ARCH={arch}",
                        f"WORKLOADS={folder}", "all"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, env=env, timeout=600)
    return p.returncode, p.stdout, out


def check_doc_example():
    """The example docs/workloads.md shows must be this test's file, line for line."""
    with open(EXAMPLE) as f:
        example = f.read()
    with open(DOC) as f:
        doc = f.read()
    if "```c\n" + example + "```\n" not in doc:
        raise RuntimeError(f"docs/workloads.md does not show {os.path.relpath(EXAMPLE)} as "
                           "it is")


def build_and_boot(arch, folder):
    """A prepare step: build the image with WORKLOADS=folder and boot that image."""
    def prepare(case):
        check_doc_example()
        rc, out, odir = ext_build(case, arch, folder)
        with open(os.path.join("build", "qemu-tests", case.name + ".build.log"), "w") as f:
            f.write(out)
        if rc:
            raise RuntimeError(f"make WORKLOADS={folder} failed: "
                               + " | ".join(out.splitlines()[-4:]))
        case.boot.image_path = os.path.join(odir, "Image")
    return prepare


def build_only(arch, folder):
    """A case's run step: build with WORKLOADS=folder, no boot; the log is make's output."""
    def run(case):
        t0 = time.monotonic()
        rc, out, _ = ext_build(case, arch, folder)
        with open(os.path.join("build", "qemu-tests", case.name + ".log"), "w") as f:
            f.write(f"# make WORKLOADS={folder} (exit status {rc})\n" + out)
        return rc, out, time.monotonic() - t0
    return run


def cases(r):
    B = r.qemu.Boot
    out = []
    for arch in ("arm64", "riscv64"):
        out.append(r.Case(f"{arch}-workloads-counter-scaling",
                          B(arch, smp=8, nodes=2, mem_mb=2048, append="run=counter-scaling"),
                          expect=[r"^counter-scaling: CPUs +per-CPU +atomic +locked$",
                                  r"^counter-scaling: every count exact \(12 phases\)$",
                                  r"run: counter-scaling: PASS"],
                          counts={MOPS_ROW.format("[1248]"): 4,
                                  r"^run: counter-scaling: +\d+ .* ok +last phase: per-CPU "
                                  r"\d+, atomic \d+, locked \d+$": 8},
                          timeout=120))
        # 3 CPUs: the steps 1 and 2 only
        out.append(r.Case(f"{arch}-workloads-counter-scaling-3cpu",
                          B(arch, smp=3, append="run=counter-scaling counter_scaling_ms=5"),
                          expect=[r"increments per second \(millions, all CPUs\), 5 ms a phase",
                                  r"^counter-scaling: every count exact \(6 phases\)$"],
                          counts={MOPS_ROW.format("[12]"): 2, MOPS_ROW.format(r"\d+"): 2},
                          timeout=120))
        out.append(r.Case(f"{arch}-workloads-trace-rings",
                          B(arch, smp=4, nodes=2, mem_mb=2048, append="run=trace-rings"),
                          expect=[r"(^trace-rings: +\+ *\d+ ns  CPU\d +#200 +barrier-in\n){4}"
                                  r"(^trace-rings: +\+ *\d+ ns  CPU\d +#201 +barrier-out\n){4}",
                                  r"^trace-rings: 808 events from 4 CPUs merged",
                                  r"none lost, none torn, every barrier-out after every",
                                  r"run: trace-rings: PASS"],
                          counts={r"^run: trace-rings: .* ok +202 events logged, 0 overwritten$":
                                  4}, timeout=120))
        # more events than a ring holds: the oldest are overwritten, and that is a failure
        out.append(r.Case(f"{arch}-workloads-trace-rings-overflow",
                          B(arch, smp=2, append="run=trace-rings trace_events=300"),
                          status=1, result="FAIL",
                          expect=[r"check failed: CPU0 lost 46 events: its ring holds 256",
                                  r"check failed: CPU1 lost 46 events",
                                  r"run: trace-rings: FAIL"], timeout=120))
        out.append(r.Case(f"{arch}-workloads-monte-carlo",
                          B(arch, smp=4, nodes=2, mem_mb=2048, append="run=monte-carlo"),
                          expect=[r"^monte-carlo: 823736 of 1048576 points inside: "
                                  r"pi ~ 3\.142303$",
                                  r"^monte-carlo: hits exact \(823736 for seed 1\)$",
                                  r"run: monte-carlo: PASS"],
                          counts={r"^run: monte-carlo: .* ok +\d+ blocks, \d+ hits$": 4},
                          timeout=120))
        # another seed, an odd CPU count: 32173 is the Python reference's count (the doc's)
        out.append(r.Case(f"{arch}-workloads-monte-carlo-seed7",
                          B(arch, smp=3, append="run=monte-carlo monte_carlo_seed=7 "
                            "monte_carlo_samples=40960"),
                          expect=[r"^monte-carlo: 32173 of 40960 points inside",
                                  r"^monte-carlo: hits exact \(32173 for seed 7\)$"],
                          timeout=120))
        out.append(r.Case(f"{arch}-ext-workloads",
                          B(arch, smp=4, nodes=2, mem_mb=2048,
                            append="run=hello-percpu,hello-percpu hello_rounds=500"),
                          prepare=build_and_boot(arch, "tests/qemu/ext-workloads"),
                          expect=[r"^run: hello-percpu: +3 .* ok +counted to 2000$",
                                  r"^hello-percpu: 5000 counted in all, want 5000$",
                                  r"run: 2 selected, 2 passed"],
                          counts={r"run: hello-percpu: PASS": 2}, timeout=120))
    out.append(r.Case("arm64-workloads-bad-param",
                      B("arm64", smp=1, append="run=monte-carlo monte_carlo_samples=1000"),
                      status=1, result="FAIL",
                      expect=[r'bad value "1000" for monte_carlo_samples',
                              r"RESULT: FAIL 1 boot parameter rejected"], timeout=60))
    # the build's errors need no boot: make's output is the log; make fails with status 2
    out.append(r.Case("arm64-ext-workloads-broken", None, status=2, result=None,
                      run=build_only("arm64", "tests/qemu/ext-broken"),
                      expect=[r"broken\.c:6:\d+: error: use of undeclared identifier "
                              r"'no_such_variable'",
                              r"^workloads: /\S+/tests/qemu/ext-broken/broken\.c does not "
                              r"compile \(WORKLOADS=tests/qemu/ext-broken\)$"],
                      reject=[r"LD +build"], timeout=600))
    out.append(r.Case("arm64-ext-workloads-duplicate", None, status=2, result=None,
                      run=build_only("arm64", "tests/qemu/ext-duplicate"),
                      expect=[r'^workloads: two tests or workloads named "trace-rings":$',
                              r"^>>> +workloads/trace_rings\.c$",
                              r"^>>> +/\S+/tests/qemu/ext-duplicate/same_name\.c$"],
                      reject=[r"^>>> .*fine\.c$", r"IMAGE +build"], timeout=600))
    out.append(r.Case("arm64-ext-workloads-no-folder", None, status=2, result=None,
                      run=build_only("arm64", "tests/qemu/ext-no-such-folder"),
                      expect=[r"WORKLOADS=tests/qemu/ext-no-such-folder: no such folder"],
                      timeout=600))
    out.append(r.Case("arm64-ext-workloads-no-c-files", None, status=2, result=None,
                      run=build_only("arm64", "docs"),
                      expect=[r"WORKLOADS=docs: no \.c files in /\S+/docs\.  Stop\.$"],
                      timeout=600))
    return out
