#!/usr/bin/env bash
# TorchSharp on a libstdc++ older than GCC 13's (Debian 12). Run by the build (Directory.Build.targets) on every
# output folder that holds libLibTorchSharp.so; docs/torch.md ("The libstdc++ compatibility step") says why.
#
#   scripts/torchsharp-compat.sh DIR...       patch libLibTorchSharp.so in each DIR where this system needs it
#   scripts/torchsharp-compat.sh --needed     exit 0 when this system needs the step, 1 when it does not
#
# libLibTorchSharp.so (TorchSharp 0.107, built with GCC 13) needs one symbol of version GLIBCXX_3.4.32,
# std::ios_base_library_init(). Where the system libstdc++ has that version this script does nothing. Elsewhere,
# in each DIR it (1) marks the GLIBCXX_3.4.32 requirement weak, (2) clears that symbol's version, and (3) adds
# libps_iosinit.so (build/torchsharp-compat/, copied into DIR; the library's RUNPATH has $ORIGIN) as a needed
# library that provides the symbol. A library already patched is left as it is.
#
# PS_LIBSTDCXX names the libstdc++ to check (default: the one the dynamic loader finds).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=GLIBCXX_3.4.32
symbol=_ZSt21ios_base_library_initv
shim=libps_iosinit.so

ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"  # not on a non-root user's PATH on Debian
# A fresh machine may have no loader cache yet (ldconfig -p prints nothing until something runs ldconfig): then the
# multiarch path Debian and Ubuntu use.
libstdcxx="${PS_LIBSTDCXX:-$("$ldconfig" -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ { print $NF; exit }')}"
[[ -f "$libstdcxx" ]] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
[[ -f "$libstdcxx" ]] || { echo "torchsharp-compat: libstdc++.so.6 not found (ldconfig -p, /usr/lib/x86_64-linux-gnu)" >&2; exit 2; }
if grep -qa "$version" "$libstdcxx"; then
  [[ "${1:-}" == --needed ]] && exit 1
  exit 0
fi
[[ "${1:-}" == --needed ]] && exit 0

for tool in patchelf g++ readelf; do
  command -v "$tool" >/dev/null || { echo "torchsharp-compat: $tool is needed ($libstdcxx lacks $version; apt-get install patchelf g++ binutils)" >&2; exit 1; }
done

# The shim and the ELF tool, built once per checkout; builds running side by side wait for each other.
src="$root/build/torchsharp-compat"
out="${PS_COMPAT_BUILD_DIR:-$root/.artifacts/torchsharp-compat}"
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [[ ! -f "$out/$shim" || "$src/ios_base_library_init.cpp" -nt "$out/$shim" ]]; then
  g++ -O2 -shared -fPIC -o "$out/$shim.tmp" "$src/ios_base_library_init.cpp" && mv "$out/$shim.tmp" "$out/$shim"
fi
if [[ ! -x "$out/mark_version_weak" || "$src/mark_version_weak.cpp" -nt "$out/mark_version_weak" ]]; then
  g++ -O2 -o "$out/mark_version_weak.tmp" "$src/mark_version_weak.cpp" && mv "$out/mark_version_weak.tmp" "$out/mark_version_weak"
fi

for dir in "$@"; do
  lib="$dir/libLibTorchSharp.so"
  [[ -f "$lib" ]] || { echo "torchsharp-compat: $lib does not exist" >&2; exit 1; }
  cmp -s "$out/$shim" "$dir/$shim" || cp "$out/$shim" "$dir/$shim"
  if readelf -d "$lib" | grep -q "NEEDED.*\[$shim\]"; then continue; fi
  # Patch a copy and move it in whole, so that nothing ever loads a half-patched library.
  tmp="$(mktemp "$dir/.libLibTorchSharp.XXXXXX")"
  cp -p "$lib" "$tmp"
  "$out/mark_version_weak" "$tmp" "$version"
  patchelf --clear-symbol-version "$symbol" "$tmp"
  patchelf --add-needed "$shim" "$tmp"
  mv "$tmp" "$lib"
done
