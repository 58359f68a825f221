#!/bin/sh
# logintc-sync: the launcher in the Linux and macOS release folders. It runs the compiled program
# beside it, logintc-sync.bin, with the same arguments, so the release folder is a drop-in for the
# Java tool's: existing cron lines say `sh logintc-sync [flags] config.cfg` (sh cannot run a
# compiled binary, but it can run this), and `./logintc-sync [flags] config.cfg` works too.
# POSIX sh only. The working directory is kept, so a relative config path means what it meant.
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
exec "$program" "$@"
