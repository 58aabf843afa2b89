"""qemu.py - build QEMU command lines for pcpurt and run one boot.

Shared by the test runner (runner.py) and `make run` / `make debug` (boot.py). A boot is
described by a Boot object: architecture, how the image is started (ELF, Linux Image, or
through U-Boot), CPU count, NUMA layout, command line, an optional device tree of our own,
and the Stack it runs on: which QEMU, OpenSBI and U-Boot ("bookworm" or "current").
"""
import os
import re
import select
import subprocess
import time

RISCV_UBOOT_LOAD = 0x84000000
CACHE = os.environ.get("PCPURT_CACHE", "/var/cache/pcpurt")
QEMU_BIN = {"arm64": "qemu-system-aarch64", "riscv64": "qemu-system-riscv64"}
UBOOT_DIR = {"arm64": "qemu_arm64", "riscv64": "qemu-riscv64_smode"}


class Stack:
    """One QEMU + firmware stack: the programs and firmware files a boot uses.

    "bookworm": Debian 12's packages in /usr (QEMU 7.2, OpenSBI 1.1 as QEMU's -bios default,
                U-Boot 2023.01).
    "current":  Debian 13's (QEMU 10.0, OpenSBI 1.6, U-Boot 2025.01) in the tree that
                scripts/stack-current.sh debootstraps under $PCPURT_CACHE/trixie. Its QEMU runs
                without chroot: started by the tree's own dynamic loader with the tree's
                libraries, told the tree's firmware directory (-L) and module directory.
    """
    NAMES = ("bookworm", "current")

    def __init__(self, name="bookworm", cache=None):
        if name not in self.NAMES:
            raise ValueError(f"unknown stack {name!r} (one of {', '.join(self.NAMES)})")
        self.name = name
        self.root = "/" if name == "bookworm" else os.path.join(cache or CACHE, "trixie")

    def path(self, rel):
        return os.path.join(self.root, rel)

    def qemu(self, arch):
        """The command prefix that starts this stack's qemu-system-<arch>, options for the
        firmware directory included."""
        if self.name == "bookworm":
            return [QEMU_BIN[arch]]
        libs = ":".join(self.path(d) for d in ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu"))
        return [self.path("usr/lib64/ld-linux-x86-64.so.2"), "--library-path", libs,
                self.path("usr/bin/" + QEMU_BIN[arch]), "-L", self.firmware_dir()]

    def env(self):
        """Environment for QEMU: the current stack loads only its own modules (a module of
        another QEMU version would be refused, or worse)."""
        env = dict(os.environ)
        if self.name != "bookworm":
            env["QEMU_MODULE_DIR"] = self.path("usr/lib/x86_64-linux-gnu/qemu")
        return env

    def firmware_dir(self):
        """QEMU's -L directory (option ROMs, -bios default)."""
        return self.path("usr/share/qemu")

    def opensbi(self, kind="dynamic"):
        """OpenSBI's generic platform firmware: fw_dynamic.bin or fw_jump.bin (.elf too)."""
        return self.path(f"usr/lib/riscv64-linux-gnu/opensbi/generic/fw_{kind}.bin")

    def bios(self):
        """What -bios gets on riscv: QEMU's own default (bookworm: QEMU 7.2 carries its own
        OpenSBI 1.1 build), the tree's OpenSBI 1.6 by name (current)."""
        return "default" if self.name == "bookworm" else self.opensbi()

    def uboot(self, arch):
        """U-Boot for QEMU virt: qemu_arm64 (EL1/EL2), qemu-riscv64_smode (after OpenSBI)."""
        return self.path(f"usr/lib/u-boot/{UBOOT_DIR[arch]}/u-boot.bin")

    def missing(self):
        """Files this stack needs that are not there (empty when it is usable)."""
        need = [self.uboot(a) for a in UBOOT_DIR]
        if self.name != "bookworm":
            need += [self.qemu(a)[3] for a in QEMU_BIN] + [self.qemu("arm64")[0],
                                                          self.opensbi()]
        return [p for p in need if not os.path.exists(p)]

    def __str__(self):
        return self.name


STACKS = {}


def get_stack(name):
    """The Stack called `name` (or `name` itself when it is one)."""
    if isinstance(name, Stack):
        return name
    if name not in STACKS:
        STACKS[name] = Stack(name)
    return STACKS[name]


class Boot:
    def __init__(self, arch, build="qemu-virt", smp=1, nodes=1, dist=None, mem_mb=1024,
                 append="", how="image", dtb=None, cpu=None, machine_opts=(), extra=(),
                 node_cpus=None, machine="virt", semihosting=True, halt_after_result=None,
                 image=None, uboot_cmds=None, memless=(), stack="bookworm", load_addr=None,
                 disk=None, stop_on=None):
        self.arch = arch
        self.stack = get_stack(stack)
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
        # how="image" on riscv: load the Image at this address, not QEMU's 2 MiB after the
        # firmware (an ELF wrapper whose entry QEMU hands OpenSBI's fw_dynamic as next_addr)
        self.load_addr = load_addr
        # a raw disk image on virtio-blk (virt); with how="uboot" the Image is then not put in
        # memory: U-Boot loads it from the disk
        self.disk = disk

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
            cmd = self.stack.qemu("arm64") + ["-M", m, "-cpu", self.cpu or "cortex-a72"]
            if self.semihosting:
                cmd += ["-semihosting-config", "enable=on,target=native"]
        else:
            cmd = self.stack.qemu("riscv64") + ["-M", m, "-bios", self.stack.bios()]
            if self.cpu:
                cmd += ["-cpu", self.cpu]
        # -nic none: no default network card, so QEMU needs no option ROM (ipxe-qemu)
        cmd += ["-smp", str(self.smp), "-nographic", "-no-reboot", "-nic", "none"]
        cmd += self._numa_args()
        if self.machine.startswith("raspi"):
            # the Pi trees name the mini UART (QEMU's second serial port) as the console
            cmd += ["-serial", "null", "-serial", "mon:stdio"]
        if self.disk:
            cmd += ["-drive", f"file={self.disk},if=none,format=raw,id=disk0",
                    "-device", "virtio-blk-device,drive=disk0"]
        if self.how == "uboot" and self.disk:
            cmd += ["-bios" if self.arch == "arm64" else "-kernel", self.stack.uboot(self.arch)]
        elif self.how == "uboot":
            if self.arch == "arm64":
                cmd += ["-bios", self.stack.uboot("arm64"), "-kernel", self.image()]
            else:
                cmd += ["-kernel", self.stack.uboot("riscv64"), "-device",
                        f"loader,file={self.image()},addr={RISCV_UBOOT_LOAD:#x},force-raw=on"]
        else:
            kernel = self.image()
            if self.load_addr is not None:
                kernel = image_at(kernel, self.load_addr)
            cmd += ["-kernel", kernel]
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


def image_at(image, addr):
    """An ELF file holding the riscv64 Image as one segment loaded and entered at `addr`
    (made next to the Image by ld.lld when missing or older). Given to -kernel, QEMU loads it
    there and puts `addr` in OpenSBI's fw_dynamic info as the next stage; a raw Image goes to
    the first 2 MiB boundary after the firmware file, 0x80200000, where OpenSBI 1.6's own
    per-hart data reaches from 108 harts on."""
    out = f"{image}-at-{addr:#x}.elf"
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(image):
        return out
    script = out + ".ld"
    with open(script, "w") as f:
        f.write("PHDRS { image PT_LOAD FLAGS(7); }\n"
                f"SECTIONS {{ . = {addr:#x}; .image : {{ *(.data) }} :image }}\n"
                f"ENTRY({addr:#x})\n")
    # -b binary names the input's symbols after its path: link from its folder
    subprocess.run(["ld.lld", "-m", "elf64lriscv", "-T", os.path.abspath(script), "-b", "binary",
                    os.path.basename(image), "-o", os.path.abspath(out) + ".tmp"],
                   cwd=os.path.dirname(image) or ".", check=True)
    os.replace(out + ".tmp", out)
    os.remove(script)
    return out


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
    subprocess.run(boot.command(dumpdtb=path), env=boot.stack.env(), check=True,
                   stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60)
    return path


def run(boot, timeout, log_path=None):
    """Boot once. Returns (exit status or None on timeout, serial output, seconds)."""
    cmd = boot.command()
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=boot.stack.env())
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
