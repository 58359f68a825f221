#!/bin/sh
# logintc-sync: the launcher in the Linux and macOS release folders. It runs the compiled program
# beside it, logintc-sync.bin, with the same arguments, so the release folder is a drop-in for the
# Java tool's: existing cron lines say `sh logintc-sync [flags] config.cfg` (sh cannot run a
# compiled binary, but it can run this), and `./logintc-sync [flags] config.cfg` works too.
# POSIX sh only. The working directory is kept, so a relative config path means what it meant.
# On Linux it first checks the C library (glibc 2.27 or newer), so an unsupported system gets one
# line saying why instead of the loader's.
# Copied into each release by scripts/compile.ts; tested by tests/integration/scripts/launcher_test.ts.

set -f # no file name globbing anywhere below (PATH entries are split, never globbed)
self=$0

# `sh logintc-sync` with no such file in the working directory: some shells (bash, also as sh)
# then look the name up in PATH and leave $0 as typed. Find it the same way.
case $self in
*/*) ;;
*)
  if [ ! -f "$self" ]; then
    saved_ifs=$IFS
    IFS=:
    for d in $PATH; do
      if [ -f "${d:-.}/$self" ]; then
        self=${d:-.}/$self
        break
      fi
    done
    IFS=$saved_ifs
  fi
  ;;
esac

# A symlink to this launcher (say /usr/local/bin/logintc-sync): follow it to the release folder.
# readlink(1) is not POSIX but is on every Linux and macOS; without it, stay where we are.
n=0
while [ -h "$self" ] && [ "$n" -lt 40 ]; do
  target=$(readlink -- "$self") || break
  case $target in
  /*) self=$target ;;
  *)
    case $self in
    */*) self=${self%/*}/$target ;;
    *) self=$target ;;
    esac
    ;;
  esac
  n=$((n + 1))
done

case $self in
*/*) dir=${self%/*} ;;
*) dir=. ;;
esac
# CDPATH unset: a relative folder name must not be looked up elsewhere (and cd must print nothing).
dir=$(CDPATH='' cd -P -- "${dir:-/}" && pwd -P) || exit 1
program=$dir/logintc-sync.bin

if [ ! -x "$program" ]; then
  echo "error: $program is missing or not executable: it belongs beside this launcher," \
    "as unzipped from the release (unzip restores its mode; else: chmod 755 '$program')" >&2
  exit 1
fi

# The Linux programs need glibc 2.27 or newer (deno's Linux builds use GLIBC_2.27 symbols; see
# docs/building.md, "Supported platforms"). On an older glibc (RHEL/CentOS 7 has 2.17) or on musl
# (Alpine) the loader would stop with `GLIBC_2.27 not found`, or a bare "not found" that names
# neither: say in one line what this system has and what is needed. A C library that cannot be
# identified is not refused: the program starts, and the loader has the last word.
is_number() {
  case $1 in '' | *[!0-9]*) return 1 ;; esac
}
if [ "$(uname -s 2>/dev/null)" = Linux ]; then
  libc=$(getconf GNU_LIBC_VERSION 2>/dev/null) || libc=
  case $libc in
  'glibc '*) ;;
  *)
    # No answer from getconf (musl has no GNU_LIBC_VERSION): ldd --version names the C library,
    # glibc's on stdout ("ldd (GNU libc) 2.17"), musl's on stderr ("musl libc (x86_64)", "Version 1.2.4").
    nl='
'
    ldd_says=$(ldd --version 2>&1) || :
    first=${ldd_says%%"$nl"*}
    case $first in
    *musl*)
      libc='musl libc'
      case $ldd_says in
      *"${nl}Version "*)
        version=${ldd_says#*"${nl}Version "}
        libc="musl libc ${version%%"$nl"*}"
        ;;
      esac
      ;;
    *GLIBC* | *'GNU libc'*) libc="glibc ${first##* }" ;;
    *) libc= ;;
    esac
    ;;
  esac
  unsupported=
  case $libc in
  musl*) unsupported=1 ;;
  'glibc '*.*)
    version=${libc#glibc }
    major=${version%%.*}
    minor=${version#*.}
    minor=${minor%%[!0-9]*}
    if is_number "$major" && is_number "$minor" &&
      { [ "$major" -lt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -lt 27 ]; }; }; then
      unsupported=1
    fi
    ;;
  esac
  if [ -n "$unsupported" ]; then
    echo "logintc-sync: needs glibc 2.27 or newer (RHEL 8+); this system has $libc" >&2
    exit 1
  fi
fi
exec "$program" "$@"
