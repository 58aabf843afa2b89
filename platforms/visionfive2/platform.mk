# platform.mk (visionfive2) - StarFive VisionFive 2 (JH7110: S7 monitor hart 0, 4 x U74),
# riscv64 only. The Image is the qemu-virt one byte for byte; `make image` adds the U-Boot
# boot script (readable boot.cmd, and boot.scr made with mkimage) that the board's own
# U-Boot runs from the SD card's boot partition (see docs/boards/visionfive2.md).
PLATFORM_ARCHES := riscv64
PLATFORM_IMAGE  := $(O)/boot/Image $(O)/boot/boot.cmd $(O)/boot/boot.scr
PLATFORM_CMP    := qemu-virt

$(O)/boot/Image: $(O)/Image
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/boot.cmd: platforms/visionfive2/boot.cmd
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/boot.scr: platforms/visionfive2/boot.cmd
	@mkdir -p $(@D)
	@echo "  MKIMAGE $@"
	$(Q)mkimage -A riscv -O linux -T script -C none -n pcpurt -d $< $@ >/dev/null
