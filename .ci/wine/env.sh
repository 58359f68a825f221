# Shared settings for the Wine 10 chroot that runs the Windows deno.exe (sourced, not run).
# Why a chroot and this recipe: docs/development.md, section Windows (Debian 12's Wine 8 cannot run deno.exe).
WORK=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)            # the repo, bind-mounted at the same path
ROOT=${LOGINTC_WINE_ROOT:-/var/tmp/logintc-sync-wine}                 # the chroot: outside the repo, reused
SHARE=${LOGINTC_WINE_SHARE:-/var/tmp/logintc-sync-wine-share}         # Linux-side fixtures (PKI, slapd dirs), same path inside
WINTOOLS="$WORK/.ci/tools/win32"                                       # npm prefix of @deno/win32-x64
DENO_EXE="$WINTOOLS/node_modules/@deno/win32-x64/deno.exe"
DENO_WIN_VERSION=2.9.6
# Everything inside the chroot runs with this exact environment (env -i): nothing of the host's leaks in.
PREFIX=/root/wineprefix                                                # inside the chroot; C: is $PREFIX/drive_c
WINE_ENV=(PATH=/usr/bin:/bin HOME=/root WINEPREFIX=$PREFIX WINEDEBUG=-all XDG_RUNTIME_DIR=/run/xdg
  "WINEDLLOVERRIDES=mscoree,mshtml,winemenubuilder.exe=d" LANG=C.UTF-8)
MOUNTS=(proc sys dev dev/pts)
# Pids of every process whose root is the chroot (Wine's wineserver, services, deno.exe, ...).
chroot_pids() {
  local p r
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$r" = "$ROOT" ] && echo "${p#/proc/}"
  done
  return 0
}
