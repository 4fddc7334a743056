#!/usr/bin/env bash
# Builds the libtorch shim (src/PreferenceStudio.Torch/native -> native/build/libps_torch.so).
# Idempotent: configures once, then Ninja/Make rebuilds only what changed (a no-op in about a second).
# Default: Debian's libtorch-dev. GPU node: Torch_DIR=/opt/libtorch/share/cmake/Torch scripts/build-native.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/src/PreferenceStudio.Torch/native"
build="${PS_NATIVE_BUILD_DIR:-$src/build}"

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi

args=(-S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release)
if [[ -n "${Torch_DIR:-}" ]]; then args+=("-DTorch_DIR=$Torch_DIR"); fi

# A build tree copied from another checkout (or a container) points at other sources: start it afresh.
if [[ -f "$build/CMakeCache.txt" ]] && ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake "${generator[@]}" "${args[@]}" >/dev/null
elif [[ -n "${Torch_DIR:-}" ]]; then
  cmake "${args[@]}" >/dev/null  # a new Torch_DIR re-configures the existing tree
fi
cmake --build "$build" --parallel "$(nproc)"
