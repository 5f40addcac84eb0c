#!/bin/busybox sh
# /init of the guest's initramfs: load the 9p modules, mount the host's / read-only as the new
# root and the project folder read-write over its own path, then hand over to guest.sh.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in $(cat /modules.order); do insmod "/modules/$module.ko" || echo "init: insmod $module failed"; done
arg() { sed -n "s/.*discotop\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
work=$(arg work)
mkdir -p /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro,cache=loose root /newroot || { echo "init: no root"; poweroff -f; }
for dir in tmp run var/tmp root; do mount -t tmpfs tmpfs "/newroot/$dir"; done
# A project under /tmp or /root (a CI clone, say) now sits below a fresh tmpfs: recreate its path.
mkdir -p "/newroot$work" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 work "/newroot$work" || { echo "init: no work share"; poweroff -f; }
mount --move /dev /newroot/dev
umount /proc /sys
exec switch_root /newroot /bin/bash "$work/Tests/Kernels/guest.sh"
