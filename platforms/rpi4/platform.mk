# platform.mk (rpi4) - Raspberry Pi 4 Model B (BCM2711, 4 x Cortex-A72), arm64 only.
# The Image is the qemu-virt one byte for byte; `make image` puts it on a boot folder the
# Pi firmware reads: kernel8.img and config.txt, and the U-Boot boot script (boot.cmd,
# boot.scr) for a card that starts U-Boot first (see docs/boards/rpi4.md).
# `make sdimage` writes that card: build/arm64-rpi4/sdcard.img (see below).
PLATFORM_ARCHES := arm64
PLATFORM_IMAGE  := $(O)/boot/kernel8.img $(O)/boot/config.txt $(O)/boot/boot.cmd \
		   $(O)/boot/boot.scr
PLATFORM_CMP    := qemu-virt
PLATFORM_SDIMAGE := $(O)/sdcard.img

$(O)/boot/kernel8.img: $(O)/Image
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/config.txt: platforms/rpi4/config.txt
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/boot.cmd: platforms/rpi4/boot.cmd
	@mkdir -p $(@D)
	@echo "  COPY    $@"
	$(Q)cp $< $@

$(O)/boot/boot.scr: platforms/rpi4/boot.cmd
	@mkdir -p $(@D)
	@echo "  MKIMAGE $@"
	$(Q)mkimage -A arm64 -O linux -T script -C none -n pcpurt -d $< $@ >/dev/null

# The SD card with U-Boot: one FAT32 partition holding boot/'s files, Debian's u-boot-rpi
# (rpi_arm64 build, from scripts/u-boot-rpi.sh: UBOOT_RPI_SUITE trixie or bookworm) as
# u-boot.bin, and config.txt with kernel=u-boot.bin. U-Boot runs boot.scr, which loads
# kernel8.img and starts it with booti on the firmware's tree. The Pi firmware itself
# (start4.elf, fixup4.dat, bcm2711-rpi-4-b.dtb: not in Debian's main) is copied from
# RPI_FIRMWARE=DIR when given; without it the card boots under QEMU only.
UBOOT_RPI_SUITE ?= trixie
RPI_FIRMWARE	?=
RPI_FIRMWARE_FILES := start4.elf fixup4.dat bcm2711-rpi-4-b.dtb overlays
SD_SIZE_MIB	?= 64

.PHONY: $(O)/sdcard.img
$(O)/sdcard.img: $(PLATFORM_IMAGE) scripts/sdimage.sh scripts/u-boot-rpi.sh
	@echo "  SDIMAGE $@"
	$(Q)rm -rf $(O)/sd && mkdir -p $(O)/sd
	$(Q)cp $(O)/boot/kernel8.img $(O)/boot/boot.cmd $(O)/boot/boot.scr $(O)/sd/
	$(Q)ub=$$(scripts/u-boot-rpi.sh $(UBOOT_RPI_SUITE)) && cp "$$ub" $(O)/sd/u-boot.bin
	$(Q)sed 's/^kernel=kernel8\.img$$/kernel=u-boot.bin/' $(O)/boot/config.txt >$(O)/sd/config.txt
	$(Q)grep -q '^kernel=u-boot.bin$$' $(O)/sd/config.txt
ifneq ($(RPI_FIRMWARE),)
	$(Q)for f in $(RPI_FIRMWARE_FILES); do \
		if [ -e "$(RPI_FIRMWARE)/$$f" ]; then cp -r "$(RPI_FIRMWARE)/$$f" $(O)/sd/; \
		else echo "sdimage: warning: no $$f in $(RPI_FIRMWARE)"; fi; done
endif
	$(Q)scripts/sdimage.sh $@ $(SD_SIZE_MIB) $(O)/sd
