"""qemu.py - build QEMU command lines for pcpurt and run one boot.

Shared by the test runner (runner.py) and `make run` / `make debug` (boot.py). A boot is
described by a Boot object: architecture, how the image is started (ELF, Linux Image, or
through U-Boot), CPU count, NUMA layout, command line, an optional device tree of our own.
"""
import os
import re
import select
import subprocess
import time

UBOOT = {
    "arm64": "/usr/lib/u-boot/qemu_arm64/u-boot.bin",
    "riscv64": "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin",
}
RISCV_UBOOT_LOAD = 0x84000000


class Boot:
    def __init__(self, arch, build="qemu-virt", smp=1, nodes=1, dist=None, mem_mb=1024,
                 append="", how="image", dtb=None, cpu=None, machine_opts=(), extra=(),
                 node_cpus=None, machine="virt", semihosting=True, halt_after_result=None,
                 image=None, uboot_cmds=None, memless=(), stop_on=None):
        self.arch = arch
        self.build_dir = os.path.join("build", f"{arch}-{build}")
        self.smp = smp
        self.nodes = nodes
        self.dist = dist or {}
        self.mem_mb = mem_mb
        self.append = append
        self.how = how          # "elf", "image" or "uboot"
        self.dtb = dtb
        self.cpu = cpu
        self.machine_opts = list(machine_opts)
        self.extra = list(extra)
        self.node_cpus = node_cpus
        self.memless = set(memless)     # NUMA nodes without memory (no memdev)
        self.machine = machine
        # arm64: -semihosting-config on the command line (off: as on a real board)
        self.semihosting = semihosting
        # machines with no way to power off (sifive_u: only gpio-restart): after the RESULT
        # line, wait this many seconds, then stop QEMU and report the status "halted"
        self.halt_after_result = halt_after_result
        self.image_path = image          # a file other than <build>/Image (board packaging)
        self.uboot_cmds = uboot_cmds     # U-Boot commands instead of the default booti ones
        # a regex (bytes): once the output matches it, QEMU is stopped, status "stopped"
        self.stop_on = stop_on

    def image(self):
        if self.image_path:
            return self.image_path
        return os.path.join(self.build_dir, "pcpurt.elf" if self.how == "elf" else "Image")

    def _numa_args(self):
        if self.nodes <= 1:
            return ["-m", f"{self.mem_mb}M"]
        with_mem = self.nodes - len(self.memless)
        per = self.mem_mb // with_mem
        args = ["-m", f"{per * with_mem}M"]
        cpus = self.node_cpus or split_cpus(self.smp, self.nodes)
        for n in range(self.nodes):
            spec = f"node,nodeid={n}"
            if n not in self.memless:
                args += ["-object", f"memory-backend-ram,id=m{n},size={per}M"]
                spec += f",memdev=m{n}"
            # (first, last), or a list of them: a node of interleaved CPUs
            for first, last in ([cpus[n]] if isinstance(cpus[n], tuple) else cpus[n] or []):
                spec += f",cpus={first}-{last}"
            args += ["-numa", spec]
        for a in range(self.nodes):
            for b in range(a + 1, self.nodes):
                d = self.dist.get((a, b), 20)
                args += ["-numa", f"dist,src={a},dst={b},val={d}"]
                if (b, a) in self.dist:
                    args += ["-numa", f"dist,src={b},dst={a},val={self.dist[(b, a)]}"]
        return args

    def command(self, dumpdtb=None, gdb=False):
        mopts = list(self.machine_opts)
        if self.machine == "virt":
            if self.arch == "arm64" and self.smp > 8 and not any("gic" in o for o in mopts):
                mopts.append("gic-version=3")
            if self.arch == "riscv64" and self.nodes >= 3 and not any("aia" in o for o in mopts):
                mopts.append("aia=aplic")
        if dumpdtb:
            mopts.append(f"dumpdtb={dumpdtb}")
        m = ",".join([self.machine] + mopts)
        if self.arch == "arm64":
            cmd = ["qemu-system-aarch64", "-M", m, "-cpu", self.cpu or "cortex-a72"]
            if self.semihosting:
                cmd += ["-semihosting-config", "enable=on,target=native"]
        else:
            cmd = ["qemu-system-riscv64", "-M", m, "-bios", "default"]
            if self.cpu:
                cmd += ["-cpu", self.cpu]
        # -nic none: no default network card, so QEMU needs no option ROM (ipxe-qemu)
        cmd += ["-smp", str(self.smp), "-nographic", "-no-reboot", "-nic", "none"]
        cmd += self._numa_args()
        if self.machine.startswith("raspi"):
            # the Pi trees name the mini UART (QEMU's second serial port) as the console
            cmd += ["-serial", "null", "-serial", "mon:stdio"]
        if self.how == "uboot":
            if self.arch == "arm64":
                cmd += ["-bios", UBOOT["arm64"], "-kernel", self.image()]
            else:
                cmd += ["-kernel", UBOOT["riscv64"], "-device",
                        f"loader,file={self.image()},addr={RISCV_UBOOT_LOAD:#x},force-raw=on"]
        else:
            cmd += ["-kernel", self.image()]
            if self.append and self.how != "elf":
                cmd += ["-append", self.append]
        if self.dtb:
            cmd += ["-dtb", self.dtb]
        if gdb:
            cmd += ["-s", "-S"]
        return cmd + self.extra

    def uboot_script(self):
        """Commands typed at the U-Boot prompt, one per line."""
        if self.uboot_cmds is not None:
            return list(self.uboot_cmds)
        cmds = [f"setenv bootargs '{self.append}'"]
        if self.arch == "arm64":
            cmds += ["qfw load ${kernel_addr_r} ${ramdisk_addr_r}",
                     "booti ${kernel_addr_r} - ${fdtcontroladdr}"]
        else:
            cmds += [f"booti {RISCV_UBOOT_LOAD:#x} - ${{fdtcontroladdr}}"]
        return cmds


def split_cpus(smp, nodes):
    """Contiguous CPU ranges per node, as even as possible: [(first, last), ...]."""
    out, first = [], 0
    for n in range(nodes):
        count = smp // nodes + (1 if n < smp % nodes else 0)
        out.append((first, first + count - 1) if count else None)
        first += count
    return out


def dump_dtb(boot, path):
    """Write the tree QEMU would generate for this boot to `path`."""
    subprocess.run(boot.command(dumpdtb=path), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    return path


def run(boot, timeout, log_path=None):
    """Boot once. Returns (exit status or None on timeout, serial output, seconds)."""
    cmd = boot.command()
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = bytearray()
    script = boot.uboot_script() if boot.how == "uboot" else []
    sent_stop = False
    status = None
    result_at = None
    try:
        while True:
            left = timeout - (time.monotonic() - start)
            if left <= 0:
                break
            r, _, _ = select.select([p.stdout], [], [], min(left, 0.5))
            if r:
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
                if script:
                    text = out.decode("latin-1")
                    if not sent_stop and "Hit any key" in text:
                        p.stdin.write(b"\n")
                        p.stdin.flush()
                        sent_stop = True
                    # one command per fresh prompt
                    prompts = len(re.findall(r"^=> ", text, re.M))
                    done = len(boot.uboot_script()) - len(script)
                    if prompts > done:
                        p.stdin.write(script.pop(0).encode() + b"\n")
                        p.stdin.flush()
            elif p.poll() is not None:
                break
            if boot.stop_on is not None and re.search(boot.stop_on, out):
                p.kill()
                p.wait()
                status = "stopped"
                break
            if result_at is None and re.search(rb"^RESULT: .*\n", out, re.M):
                result_at = time.monotonic()
            if boot.halt_after_result is not None:
                if result_at is not None and p.poll() is None and \
                        time.monotonic() - result_at > boot.halt_after_result:
                    p.kill()
                    p.wait()
                    status = "halted"
                    break
        try:
            if status is None:
                status = p.wait(timeout=max(0.1, min(5, timeout - (time.monotonic() - start))))
        except subprocess.TimeoutExpired:
            status = None
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    text = out.decode("latin-1").replace("\r\n", "\n")
    if status is None and result_at is not None:
        # for the report: a slow run, or a QEMU that did not exit after the guest finished
        text += (f"\n# runner: RESULT came {result_at - start:.1f} s after start; QEMU had "
                 f"not exited at the {timeout} s timeout\n")
    if log_path:
        with open(log_path, "w") as f:
            f.write("# " + " ".join(cmd) + "\n" + text)
    return status, text, time.monotonic() - start
