#!/usr/bin/env bash
# webnmf's WebGPU bench on this machine's GPU (Linux x86-64, NVIDIA, Dawn on Vulkan), from the archive
# bench/webgpu/pack-gpu-run.sh makes: nothing to install, nothing downloaded.
#   bash webnmf-gpu-run/run.sh [--sizes 4096x4096x64,10000x5000x64] [--peak-gflops N] [--quick]
# (WEBNMF_PLAN_SIZES replaces the shapes of the plan printout)
# prints, and keeps in webnmf-gpu-run/results-<UTC time>.md: the GPU, the kernel plans of one iteration
# with their roofline estimate (--plan), then GEMM GFLOP/s and ms and GFLOP/s per mu and cd iteration
# under both kernel plans beside jax-js (--profile both).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The NVIDIA Vulkan driver: its manifest where the driver installed one, else a manifest written here
# for the driver's library (libGLX_nvidia.so.0 carries NVIDIA's Vulkan ICD).
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$f" ]; then export VK_ICD_FILENAMES="$f"; break; fi
  done
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ldconfig -p 2>/dev/null | grep -q 'libGLX_nvidia.so.0'; then
  printf '{"file_format_version": "1.0.0", "ICD": {"library_path": "libGLX_nvidia.so.0", "api_version": "1.3.0"}}\n' > "$here/nvidia_icd.json"
  export VK_ICD_FILENAMES="$here/nvidia_icd.json"
fi
echo "VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-(none: the Vulkan loader looks in its default places)}" >&2
out="$here/results-$(date -u +%Y%m%dT%H%M%SZ).md"
sizes="4096x4096x64,10000x5000x64"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
{
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
  "$here/node" "$here/bench-webgpu.mjs" --plan "${WEBNMF_PLAN_SIZES:-10000x5000x20,10000x5000x64,10000x5000x128,csr:100000x50000x64@0.001}"
  "$here/node" "$here/bench-webgpu.mjs" --profile both --sizes "$sizes" ${args[@]+"${args[@]}"}
} 2>&1 | tee "$out"
echo "kept in $out" >&2
