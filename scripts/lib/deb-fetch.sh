# shellcheck shell=bash
# scripts/lib/deb-fetch.sh - sourced (not run) by the scripts that fetch one Debian package of
# a foreign architecture without installing it: scripts/linux-kernels.sh, busybox-static.sh
# and u-boot-rpi.sh. apt-get update / apt-cache / apt-get download run as the ordinary clients
# with a private apt state (sources list, index, status, archives) in a folder the caller
# names, for one suite's main of one architecture, so the machine's own apt setup and dpkg
# database are never touched; dpkg-deb -x unpacks. The mirror is ${PCPURT_MIRROR:-
# http://deb.debian.org/debian}, checked against debian-archive-keyring (scripts/deps.sh).
#
# The caller sets deb_who (the prefix of error messages, e.g. "linux-kernels: arm64") and
# calls deb_apt_init once, then deb_version / deb_download / deb_unpack. An error prints one
# line "$deb_who: ..." to stderr and exits 1.

deb_archive=${PCPURT_MIRROR:-http://deb.debian.org/debian}
deb_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
deb_who=${deb_who:-deb-fetch}
deb_apt=()
deb_log=

deb_fail() {
	echo "$deb_who: $*" >&2
	exit 1
}

# deb_lock FILE: blocks until this script holds FILE's exclusive lock (fd 9), kept to its exit
deb_lock() {
	exec 9>"$1"
	flock 9
}

# deb_apt_init APT ARCH SUITE: APT holds an up-to-date private apt state for SUITE main of ARCH
# alone (APT/etc/sources.list, lists/, cache/, archives/, status, update.log), and deb_apt the
# options that make apt-get and apt-cache use it and nothing of the host's
deb_apt_init() {
	local apt=$1 arch=$2 suite=$3
	[ -r "$deb_keyring" ] ||
		deb_fail "$deb_keyring missing: run scripts/deps.sh (debian-archive-keyring)"
	mkdir -p "$apt"/etc/apt.conf.d "$apt"/etc/preferences.d "$apt"/etc/sources.list.d \
		"$apt"/lists/partial "$apt"/cache "$apt"/archives/partial
	touch "$apt"/status
	echo "deb [signed-by=$deb_keyring] $deb_archive $suite main" >"$apt"/etc/sources.list
	deb_apt=(-o Dir::Etc="$apt"/etc -o Dir::State="$apt" -o Dir::State::status="$apt"/status
		-o Dir::State::Lists="$apt"/lists -o Dir::Cache="$apt"/cache
		-o Dir::Cache::Archives="$apt"/archives -o APT::Architecture="$arch"
		-o APT::Architectures="$arch" -o Acquire::Languages=none -o Debug::NoLocking=1
		-o APT::Sandbox::User=root)
	deb_log=$apt
	apt-get "${deb_apt[@]}" --error-on=any update >"$apt"/update.log 2>&1 ||
		deb_fail "apt-get update failed, see $apt/update.log"
}

# deb_version PKG: prints the version of PKG that deb_download fetches (fails when there is none)
deb_version() {
	local ver
	ver=$(apt-cache "${deb_apt[@]}" show --no-all-versions "$1" 2>/dev/null |
		awk '$1 == "Version:" { print $2; exit }')
	[ -n "$ver" ] || deb_fail "the suite has no package $1"
	echo "$ver"
}

# deb_download PKG DIR: DIR holds PKG's .deb (the suite's version; log in download.log beside
# the apt state); prints its path
deb_download() {
	local pkg=$1 dir=$2 show ver arch deb
	show=$(apt-cache "${deb_apt[@]}" show --no-all-versions "$pkg" 2>/dev/null) ||
		deb_fail "the suite has no package $pkg"
	ver=$(awk '$1 == "Version:" { print $2; exit }' <<<"$show")
	arch=$(awk '$1 == "Architecture:" { print $2; exit }' <<<"$show")
	(cd "$dir" && apt-get "${deb_apt[@]}" download "$pkg=$ver" >"$deb_log"/download.log 2>&1) ||
		deb_fail "apt-get download $pkg failed, see $deb_log/download.log"
	# apt-get download names the file PKG_VERSION_ARCH.deb, an epoch's ':' written %3a
	deb=$dir/${pkg}_${ver//:/%3a}_$arch.deb
	[ -s "$deb" ] || deb_fail "apt-get download $pkg made no $deb"
	echo "$deb"
}

# deb_unpack DEB DIR: DIR (made afresh) holds DEB's files, as dpkg-deb -x lays them out
deb_unpack() {
	rm -rf "$2"
	dpkg-deb -x "$1" "$2" || deb_fail "dpkg-deb -x $1 failed"
}
