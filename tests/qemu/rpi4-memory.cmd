# rpi4-memory.cmd - U-Boot script for the case board-rpi4-sdcard-memory-2gb-raspi4b: boots
# pcpurt on QEMU's raspi4b with /memory as the Pi firmware writes it on a 2 GB Pi 4 (two
# ranges: below the GPU's memory at the top of the first GiB, and the second GiB), where
# QEMU writes one range below 1 GiB. booti cannot: it rewrites /memory from U-Boot's own
# RAM banks. So the test card carries kernel8.img as a uImage (pcpurt.uimg) and the script
# runs bootm step by step, editing the tree after bootm's own fixups (prep), before go.
echo "pcpurt test: /memory of a 2 GB Pi 4"
setenv bootargs ""
fdt addr ${fdt_addr}
fdt get value bootargs /chosen bootargs
load ${devtype} ${devnum}:${distro_bootpart} 0x01000000 pcpurt.uimg || exit
bootm start 0x01000000 - ${fdt_addr}
bootm loados
bootm fdt
bootm prep
fdt set /memory@0 reg <0x0 0x0 0x3b400000 0x0 0x40000000 0x40000000>
fdt print /memory@0
bootm go
