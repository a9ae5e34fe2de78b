#!/usr/bin/env bash
# Packs the WebGPU bench for a Linux x86-64 machine with an NVIDIA GPU and no package registry
# (bench/README.md, "On a GPU machine"). The archive unpacks to webnmf-gpu-run/:
#   node                               this machine's Node binary (linux-x64; needs glibc and libstdc++ only)
#   bench-webgpu.mjs                   bench/webgpu.ts bundled with the library (src/, as dist/ is built from it),
#                                      jax-js and TF.js: one module, no node_modules to resolve
#   node_modules/webgpu/               Dawn for Node: index.js, package.json and dist/linux-x64/dawn.node only
#   lib/libvulkan.so.1                 the Vulkan loader (the NVIDIA driver brings its own Vulkan driver, the ICD)
#   run.sh                             bench/webgpu/run-on-gpu.sh: finds the ICD, runs the bench, keeps the output
# Usage: bash bench/webgpu/pack-gpu-run.sh [OUT.tar.gz]     (default: /tmp/webnmf-gpu-run.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-/tmp/webnmf-gpu-run.tar.gz}"
loader="${VULKAN_LOADER:-/usr/lib/x86_64-linux-gnu/libvulkan.so.1}"
[ -f "$loader" ] || { echo "pack-gpu-run: no Vulkan loader at $loader (Debian: apt-get install libvulkan1; or set VULKAN_LOADER)" >&2; exit 1; }
npm run build:shaders >/dev/null
npx vite build --config bench/webgpu/gpu-run.vite.config.ts >/dev/null
tmp="$(mktemp -d)"
stage="$tmp/webnmf-gpu-run"
mkdir -p "$stage/node_modules/webgpu/dist/linux-x64" "$stage/lib"
cp bench/webgpu/gpu-run-out/bench-webgpu.mjs "$stage/"
cp "$(command -v node)" "$stage/node"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$stage/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/node_modules/webgpu/dist/linux-x64/"
cp -L "$loader" "$stage/lib/libvulkan.so.1"
cp bench/webgpu/run-on-gpu.sh "$stage/run.sh"
chmod +x "$stage/run.sh" "$stage/node"
tar -czf "$out" -C "$tmp" webnmf-gpu-run
rm -rf "$tmp" bench/webgpu/gpu-run-out
echo "$out ($(du -h "$out" | cut -f1)): copy it to the GPU machine, then: tar xzf $(basename "$out") && bash webnmf-gpu-run/run.sh"
