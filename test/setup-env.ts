// Runs before every test file: with no GPU, point Dawn (the `webgpu` package) at Chromium's
// SwiftShader Vulkan driver. Must happen before Dawn loads; the WebGPU tests fail loudly without it.

import { existsSync } from 'node:fs';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
