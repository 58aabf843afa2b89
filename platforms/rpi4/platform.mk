# platform.mk (rpi4) - Raspberry Pi 4 Model B (BCM2711, 4 x Cortex-A72), arm64 only.
# The Image is the qemu-virt one byte for byte; `make image` puts it on a boot folder the
# Pi firmware reads: kernel8.img and config.txt (see docs/boards/rpi4.md).
PLATFORM_ARCHES := arm64
PLATFORM_IMAGE  := $(O)/boot/kernel8.img $(O)/boot/config.txt
PLATFORM_CMP    := qemu-virt

$(O)/boot/kernel8.img: $(O)/Image
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/config.txt: platforms/rpi4/config.txt
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@
