# boot.cmd - U-Boot script that boots pcpurt on the Raspberry Pi 4 (U-Boot's rpi_arm64 or
# rpi_4 build as the firmware's kernel). boot.scr is made from it with:
#   mkimage -A arm64 -O linux -T script -C none -d boot.cmd boot.scr
#
# The Pi firmware loads u-boot.bin (config.txt: kernel=u-boot.bin) with the board's device
# tree, which it has completed (memory, /chosen/bootargs from cmdline.txt, spin-table);
# U-Boot keeps that tree's address in fdt_addr. U-Boot's boot scan finds boot.scr on the
# SD card's FAT partition and runs it with devtype/devnum/distro_bootpart set to where it
# found it. The script loads kernel8.img from that partition and starts it with booti on the
# firmware's tree. Boot parameters: cmdline.txt as without U-Boot (the firmware's
# /chosen/bootargs), or pcpurt_args from the U-Boot prompt (setenv pcpurt_args 'run=dt').
# Run by hand (source), it defaults to mmc 1:1: on the board U-Boot numbers the Arasan
# controller (Wi-Fi) mmc 0 and EMMC2, the SD slot, mmc 1.

echo "pcpurt: boot script"
if test -z "${kernel_addr_r}"; then setenv kernel_addr_r 0x00080000; fi
if test -z "${devtype}"; then setenv devtype mmc; fi
if test -z "${devnum}"; then setenv devnum 1; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi

setenv pcpurt_fdt ${fdt_addr}
if test -z "${pcpurt_fdt}"; then setenv pcpurt_fdt ${fdtcontroladdr}; fi

echo "pcpurt: kernel8.img from ${devtype} ${devnum}:${distro_bootpart}, tree at ${pcpurt_fdt}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} kernel8.img || exit

if test -n "${pcpurt_args}"; then
	setenv bootargs "${pcpurt_args}"
else
	fdt addr ${pcpurt_fdt}
	setenv bootargs ""
	fdt get value bootargs /chosen bootargs
fi
echo "pcpurt: booti ${kernel_addr_r} - ${pcpurt_fdt}, bootargs: ${bootargs}"
booti ${kernel_addr_r} - ${pcpurt_fdt}
