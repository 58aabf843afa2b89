# boot.cmd - U-Boot script that boots pcpurt on the StarFive VisionFive 2.
# boot.scr is made from it with: mkimage -A riscv -T script -C none -d boot.cmd boot.scr
#
# The board's U-Boot (distro boot) finds boot.scr on the SD card's boot partition and runs
# it with devtype/devnum/distro_bootpart set to where it found it. The script loads the
# Image from that same partition (or over TFTP when pcpurt_tftp=1: serverip and ipaddr set,
# or dhcp), takes the board's device tree (dtbs/${fdtfile} from the partition if present,
# else the tree U-Boot itself runs on, ${fdtcontroladdr}), and boots it with booti.
# Boot parameters come from pcpurt_args (setenv pcpurt_args 'run=dt,mmu'; saveenv).
# pcpurt_load=none skips loading: the Image is already at kernel_addr_r (tests, JTAG).

echo "pcpurt: boot script"
if test -z "${kernel_addr_r}"; then setenv kernel_addr_r 0x40200000; fi
if test -z "${fdt_addr_r}"; then setenv fdt_addr_r 0x46000000; fi
if test -z "${devtype}"; then setenv devtype mmc; fi
if test -z "${devnum}"; then setenv devnum 1; fi
if test -z "${distro_bootpart}"; then setenv distro_bootpart 1; fi

if test "${pcpurt_load}" = "none"; then
	echo "pcpurt: Image already at ${kernel_addr_r}"
elif test "${pcpurt_tftp}" = "1"; then
	if test -z "${serverip}"; then dhcp; fi
	tftpboot ${kernel_addr_r} Image || exit
else
	load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} Image || exit
fi

setenv pcpurt_fdt ${fdtcontroladdr}
if test -n "${fdtfile}" && test "${pcpurt_load}" != "none"; then
	if load ${devtype} ${devnum}:${distro_bootpart} ${fdt_addr_r} dtbs/${fdtfile}; then
		setenv pcpurt_fdt ${fdt_addr_r}
	fi
fi

setenv bootargs "${pcpurt_args}"
echo "pcpurt: booti ${kernel_addr_r} - ${pcpurt_fdt}, bootargs: ${bootargs}"
booti ${kernel_addr_r} - ${pcpurt_fdt}
