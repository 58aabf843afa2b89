# pcpurt top-level Makefile.
#
#   make [ARCH=arm64|riscv64] [PLATFORM=qemu-virt|rpi4|visionfive2]   build the image
#   make ... WORKLOADS=DIR       also build DIR/*.c (your own workloads) into the image
#   make image PLATFORM=rpi4|visionfive2                               files for the card
#   make sdimage PLATFORM=rpi4                                         the card (U-Boot)
#   make run / make debug [STACK=current]                              boot it in QEMU
#   make test                                                          every test
#   make test-host / make test-qemu / make test-linux / make fuzz / make bench
#   make check-layering [ARCH=..]                                      docs/architecture.md's rules
#
# Output goes to build/<arch>-<platform>/ (pcpurt.elf, Image; objects in obj/; make image's
# files in boot/) and build/host/ (host tests, tools).

PLATFORM ?= qemu-virt
# a board names its architecture: make image PLATFORM=visionfive2 needs no ARCH=
ARCH	 ?= $(if $(filter visionfive2,$(PLATFORM)),riscv64,arm64)
V	 ?= 0
Q	 := $(if $(filter 1,$(V)),,@)

ifeq ($(filter $(ARCH),arm64 riscv64),)
$(error ARCH must be arm64 or riscv64, not '$(ARCH)')
endif
ifeq ($(wildcard platforms/$(PLATFORM)/platform.mk),)
$(error PLATFORM '$(PLATFORM)' unknown: see platforms/)
endif

SRCARCH	:= $(if $(filter riscv64,$(ARCH)),riscv,arm64)
O	:= build/$(ARCH)-$(PLATFORM)
OBJ	:= $(O)/obj
HOSTO	:= build/host
LIBFDT	:= third_party/libfdt

CC	:= clang
LD	:= ld.lld
OBJCOPY	:= llvm-objcopy
HOSTCC	:= clang
# the board trees the host and QEMU tests read (a sibling checkout's shared/dtb)
PCPURT_DTB_DIR ?= $(abspath ../shared/dtb)
export PCPURT_DTB_DIR
# Debian's python3, which sees the packages deps.sh installs (python3-libfdt), even where
# another python3 (pyenv, a venv) comes first in PATH
PYTHON	:= $(or $(wildcard /usr/bin/python3),python3)

include platforms/$(PLATFORM)/platform.mk
include arch/$(SRCARCH)/arch.mk
ifeq ($(filter $(ARCH),$(PLATFORM_ARCHES)),)
$(error PLATFORM $(PLATFORM) is $(PLATFORM_ARCHES) only, not ARCH=$(ARCH))
endif

VERSION	:= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CFLAGS	:= --target=$(TARGET) -std=gnu11 -ffreestanding -fno-builtin -nostdinc -fno-common \
	   -fno-stack-protector -fPIE -ffunction-sections -fdata-sections -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	   -isystem $(shell $(CC) -print-resource-dir)/include -Ilib/include -Iinclude \
	   -Iarch/$(SRCARCH)/include -I$(LIBFDT) -MMD -MP \
	   -DPCPURT_ARCH='"$(ARCH)"' $(ARCH_CFLAGS)
ASFLAGS	:= --target=$(TARGET) -Iinclude -Iarch/$(SRCARCH)/include -MMD -MP -D__ASSEMBLY__ \
	   $(ARCH_ASFLAGS)
LDFLAGS	:= -nostdlib --pie --no-dynamic-linker -z norelro -z notext --hash-style=sysv --build-id=none --gc-sections --orphan-handling=error \
	   -T $(O)/pcpurt.lds

# Image sources, in three parts (docs/architecture.md): the runtime (every runtime folder's
# .c and .S, the arch folder of this ARCH only), the on-target tests (tests/target/*.c, and
# tests/target/<arch>/ for this ARCH) and the example workloads (workloads/*.c). Link order
# is the run registry's order, which the default run (every test) follows: the generic tests
# after kernel/, the arch's after arch/, as before they left kernel/ and arch/.
RUNTIME_SRCS := $(wildcard boot/*.c kernel/*.c) \
	   $(wildcard drivers/uart/*.c drivers/of/*.c lib/*.c mm/*.c) $(ARCH_DRIVERS) \
	   $(wildcard percpu/*.c) $(wildcard arch/$(SRCARCH)/*.c arch/$(SRCARCH)/*.S)
TEST_SRCS := $(wildcard tests/target/*.c)
ARCH_TEST_SRCS := $(wildcard tests/target/$(SRCARCH)/*.c)
SRCS	:= $(filter boot/% kernel/%,$(RUNTIME_SRCS)) $(TEST_SRCS) \
	   $(filter-out boot/% kernel/%,$(RUNTIME_SRCS)) $(ARCH_TEST_SRCS) \
	   $(wildcard workloads/*.c)
FDT_SRCS := fdt.c fdt_ro.c fdt_sw.c fdt_strerror.c fdt_addresses.c

# WORKLOADS=DIR: the .c files of a folder kept anywhere (absolute, or relative to this
# checkout), compiled like workloads/ into obj/ext/<the folder's absolute path>/.
WORKLOADS ?=
ifneq ($(WORKLOADS),)
EXT_DIR	:= $(abspath $(WORKLOADS))
ifneq ($(words $(EXT_DIR)),1)
$(error WORKLOADS=$(WORKLOADS): a folder name with spaces is not supported)
endif
ifeq ($(wildcard $(EXT_DIR)/.),)
$(error WORKLOADS=$(WORKLOADS): no such folder)
endif
EXT_SRCS := $(sort $(wildcard $(EXT_DIR)/*.c))
ifeq ($(EXT_SRCS),)
$(error WORKLOADS=$(WORKLOADS): no .c files in $(EXT_DIR))
endif
endif
EXT_OBJS := $(patsubst $(EXT_DIR)/%.c,$(OBJ)/ext$(EXT_DIR)/%.c.o,$(EXT_SRCS))

OBJS	:= $(patsubst %,$(OBJ)/%.o,$(SRCS)) $(patsubst %,$(OBJ)/libfdt/%.o,$(FDT_SRCS)) \
	   $(OBJ)/version.o $(EXT_OBJS)

.PHONY: all image sdimage images run debug test test-host test-qemu test-linux fuzz bench clean \
	deps libfdt help stack-current check-layering print-srcs
all: $(O)/pcpurt.elf $(O)/Image

# Flags live in these files: a change to them rebuilds everything.
$(OBJS) $(O)/pcpurt.lds: Makefile arch/$(SRCARCH)/arch.mk platforms/$(PLATFORM)/platform.mk

deps:
	$(Q)scripts/deps.sh

# only the headers and FDT_SRCS are extracted; the sources appear with libfdt.h
$(LIBFDT)/libfdt.h $(addprefix $(LIBFDT)/,$(FDT_SRCS)) &:
	$(Q)scripts/libfdt.sh $(LIBFDT) $(FDT_SRCS)
libfdt: $(LIBFDT)/libfdt.h

$(O)/pcpurt.lds: boot/pcpurt.lds.S | $(LIBFDT)/libfdt.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c $(ASFLAGS) -o $@ $<

$(OBJ)/%.c.o: %.c | $(LIBFDT)/libfdt.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(OBJ)/%.S.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<

# a workload of WORKLOADS=DIR that does not compile: the compiler's errors, then one line
# naming the file
$(EXT_OBJS): $(OBJ)/ext$(EXT_DIR)/%.c.o: $(EXT_DIR)/%.c | $(LIBFDT)/libfdt.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $< || \
		{ echo "workloads: $< does not compile (WORKLOADS=$(WORKLOADS))" >&2; exit 1; }

$(OBJ)/libfdt/%.o: $(LIBFDT)/% | $(LIBFDT)/libfdt.h
	@mkdir -p $(@D)
	@echo "  CC      libfdt/$*"
	$(Q)$(CC) $(CFLAGS) -Wno-sign-compare -c -o $@ $<

# The banner's version: a generated file, rewritten only when `git describe` changes, so that
# the banner is never stale and an unchanged tree still builds nothing.
$(OBJ)/version.c: FORCE
	@mkdir -p $(@D)
	$(Q)echo 'const char pcpurt_version[] = "$(VERSION)";' > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(OBJ)/version.o: $(OBJ)/version.c
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

.PHONY: FORCE
FORCE:

# The list of WORKLOADS=DIR sources, rewritten only when it changes: building with another
# folder, or with none, links again.
$(OBJ)/ext-workloads.list: FORCE
	@mkdir -p $(@D)
	$(Q)echo '$(EXT_SRCS)' > $@.tmp
	$(Q)if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# Two tests or workloads of one name define one symbol twice (include/pcpurt/run.h): the
# linker names both objects; LINK_ERRORS puts the registry's words on its message and
# turns each object back into the source file it came from.
DUP_NAME := two tests or workloads named
LINK_ERRORS := \
	-e 's/.*duplicate symbol: pcpurt_run_name:\(.*\)/workloads: $(DUP_NAME) "\1":/' \
	-e 's|^\(>>> *\)$(OBJ)/ext\(/.*\)\.o:(\.rodata\.pcpurt_run_name.*|\1\2|' \
	-e 's|^\(>>> *\)$(OBJ)/\(.*\)\.o:(\.rodata\.pcpurt_run_name.*|\1\2|'
$(O)/pcpurt.elf: $(OBJS) $(O)/pcpurt.lds $(OBJ)/ext-workloads.list
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) 2> $@.err; rc=$$?; \
		sed $(LINK_ERRORS) $@.err >&2; rm -f $@.err; exit $$rc
	$(Q)tools/check-elf.sh $@

$(O)/Image: $(O)/pcpurt.elf
	@echo "  IMAGE   $@"
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)$(PYTHON) tools/check-image.py $@ $< $(ARCH)

# make image: the Image plus what the platform's boot path needs (platforms/*/platform.mk).
# A board's Image must be byte for byte the one of PLATFORM_CMP (qemu-virt): no flag may
# make the builds differ. That build is made too and compared.
image: all $(PLATFORM_IMAGE)
ifneq ($(PLATFORM_CMP),)
	$(Q)$(MAKE) --no-print-directory ARCH=$(ARCH) PLATFORM=$(PLATFORM_CMP) all
	$(Q)cmp build/$(ARCH)-$(PLATFORM_CMP)/Image $(O)/Image || \
		{ echo "image: $(O)/Image differs from the $(PLATFORM_CMP) build's"; exit 1; }
	@echo "  CMP     $(O)/Image = build/$(ARCH)-$(PLATFORM_CMP)/Image"
endif
	@echo "  READY   $(O)/boot/ (or $(O)/Image)"

# make sdimage: an SD-card image with the platform's boot files (PLATFORM_SDIMAGE)
sdimage: image
ifeq ($(PLATFORM_SDIMAGE),)
	@echo "sdimage: PLATFORM $(PLATFORM) has no SD-card image (rpi4 has)"; exit 1
else
	$(Q)$(MAKE) --no-print-directory $(PLATFORM_SDIMAGE)
	@echo "  READY   $(PLATFORM_SDIMAGE)"
endif

# The rules of docs/architecture.md ("What each folder may call") over this build's objects
# (calls: llvm-nm) and sources (includes), a WORKLOADS=DIR folder's too; fails on a
# forbidden edge. make test runs it for both arches; tests/host/check_layering_test.sh shows
# that it can fail.
check-layering: $(O)/pcpurt.elf
	$(Q)$(PYTHON) scripts/check-layering.py --obj-dir $(OBJ) \
		$(if $(EXT_DIR),--ext-dir $(EXT_DIR)) $(SRCS) $(EXT_SRCS)
# the image's sources, for tests/host/check_layering_test.sh
print-srcs:
	@echo $(SRCS)

# ---- QEMU ------------------------------------------------------------------------------
# make run [ARCH=..] [SMP=4] [NODES=2] [APPEND="run=..."] [BOOT_ARGS="--uboot"]
#          [STACK=bookworm|current]   Debian 12's QEMU 7.2, or Debian 13's QEMU 10 (stack-current)
SMP	  ?= 4
NODES	  ?= 2
APPEND	  ?=
BOOT_ARGS ?=
STACK	  ?= bookworm
# deps first, then a new make: this one's flags were computed before clang was installed
run: deps-check
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tests/qemu/boot.py $(ARCH) --build $(PLATFORM) --smp $(SMP) --nodes $(NODES) \
		--append "$(APPEND)" --stack $(STACK) $(BOOT_ARGS)
debug: deps-check
	$(Q)$(MAKE) --no-print-directory all
	@echo "In another terminal: gdb-multiarch $(O)/pcpurt.elf -ex 'target remote :1234'"
	$(Q)$(PYTHON) tests/qemu/boot.py $(ARCH) --build $(PLATFORM) --smp $(SMP) --nodes $(NODES) \
		--append "$(APPEND)" --gdb --stack $(STACK) $(BOOT_ARGS)

# ---- tests -----------------------------------------------------------------------------
HOST_CFLAGS := -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter \
	       -Iinclude -Itests/host/shim -DPCPURT_HOST=1
comma := ,
HOST_FUZZ_CFLAGS := $(filter-out -fsanitize=address$(comma)undefined,$(HOST_CFLAGS)) \
	       -fsanitize=fuzzer,address,undefined
HOST_TEST_BINS :=
HOST_TEST_CMDS :=
HOST_FUZZ_BINS :=
HOST_FUZZ_CMDS :=
include $(sort $(wildcard tests/host/*.mk))

deps-check:
	$(Q)scripts/deps.sh --check >/dev/null 2>&1 || scripts/deps.sh

test-host: deps-check $(HOST_TEST_BINS)
	$(Q)tests/host/run-all.sh $(HOST_TEST_CMDS)

fuzz: deps-check $(HOST_FUZZ_BINS)
	$(Q)tests/host/run-all.sh $(HOST_FUZZ_CMDS)

# every image the QEMU tests boot (and whose static per-CPU size pcpu-layout measures)
images: deps-check
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 PLATFORM=qemu-virt all
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 PLATFORM=qemu-virt all
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 PLATFORM=rpi4 sdimage
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 PLATFORM=visionfive2 image

# Debian 13's QEMU 10, OpenSBI 1.6 and U-Boot 2025.01 under $(PCPURT_CACHE)/trixie (once; a
# few minutes): the runner boots the matrix on it and on Debian 12's own stack
stack-current: deps-check
	$(Q)scripts/stack-current.sh

test-qemu: images stack-current
	$(Q)$(PYTHON) tests/qemu/runner.py $(RUNNER_ARGS)

# Linux parity: Debian's own arm64 and riscv64 kernels (scripts/linux-kernels.sh, cached
# machine-wide) booted on a table of QEMU machines; their pcpu-alloc lines must be
# pcpu-layout's, and so must pcpurt's (docs/linux-parity.md)
test-linux: deps-check
	$(Q)scripts/linux-kernels.sh
	$(Q)$(MAKE) --no-print-directory pcpu-layout
	$(Q)$(PYTHON) tests/qemu/linux_parity.py $(LINUX_PARITY_ARGS)

test: deps-check
	$(Q)$(MAKE) --no-print-directory images
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 PLATFORM=qemu-virt check-layering
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 PLATFORM=qemu-virt check-layering
	$(Q)$(MAKE) --no-print-directory test-host
	$(Q)$(MAKE) --no-print-directory fuzz
	$(Q)$(MAKE) --no-print-directory test-qemu
	$(Q)$(MAKE) --no-print-directory test-linux

bench: deps-check stack-current
	$(Q)$(MAKE) --no-print-directory bench-run
	$(Q)$(MAKE) --no-print-directory bench-hotplug

# CPU down/up and cross-CPU call latency, pcpurt beside Debian's Linux on the same QEMU
.PHONY: bench-hotplug
bench-hotplug: deps-check
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 PLATFORM=qemu-virt all
	$(Q)$(MAKE) --no-print-directory ARCH=riscv64 PLATFORM=qemu-virt all
	$(Q)$(PYTHON) tests/qemu/bench_hotplug.py

clean:
	rm -rf build

help:
	@sed -n '2,13p' Makefile

-include $(OBJS:.o=.d)
