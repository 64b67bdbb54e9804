// OpenBLAS's x86-64 kernel families, and which of them this machine can execute.
//
// A DYNAMIC_ARCH OpenBLAS (Debian's, and the one linked into the prebuilds) carries
// kernels for many CPU families and picks one when it loads; OPENBLAS_CORETYPE=<name>
// makes it take another. It does not check that the CPU can execute the family it
// is told to take (one that needs an instruction set the CPU lacks dies of SIGILL),
// so a family is tried only when /proc/cpuinfo lists everything its kernels use. A
// name the build does not offer falls back to the automatic choice, which
// openblas_get_corename then reports: that is how a test tells the two apart.
//
// What each family's kernels use, from OpenBLAS's sources: the HAVE_* instruction sets
// getarch.c defines for it (each family's C kernels are compiled with them), the
// -march or -m flags kernel/Makefile adds (SkylakeX: skylake-avx512; Cooperlake:
// cooperlake; SapphireRapids: sapphirerapids; Haswell and Zen: -mavx2, with FMA3 in
// their assembly), FMA4 in the Bulldozer line's hand-written kernels, and 3DNow!'s
// femms, which ends MMX code in Opteron's.

import { readFileSync } from 'node:fs';

export interface KernelFamily {
  /** The name OPENBLAS_CORETYPE takes and openblas_get_corename reports. */
  name: string;
  /** /proc/cpuinfo flags the family's kernels need. */
  needs: readonly string[];
}

const SSE3 = ['sse2', 'pni'];
const SSSE3 = [...SSE3, 'ssse3'];
const SSE4_2 = [...SSSE3, 'sse4_1', 'sse4_2'];
const AMD_SSE = ['sse4a', 'misalignsse'];
const AVX2 = [...SSE4_2, 'avx', 'avx2', 'fma'];
const AVX512 = [...AVX2, 'avx512f', 'avx512cd', 'avx512bw', 'avx512dq', 'avx512vl'];
const BF16 = [...AVX512, 'avx512_vnni', 'avx512_bf16'];
const FMA4 = [...SSE3, 'sse4_1', 'sse4_2', ...AMD_SSE, 'avx', 'fma', 'fma4'];

export const X86_64_FAMILIES: readonly KernelFamily[] = [
  { name: 'Prescott', needs: SSE3 },
  { name: 'Core2', needs: SSSE3 },
  { name: 'Penryn', needs: [...SSSE3, 'sse4_1'] },
  { name: 'Dunnington', needs: [...SSSE3, 'sse4_1'] },
  { name: 'Nehalem', needs: SSE4_2 },
  { name: 'Atom', needs: SSSE3 },
  { name: 'Nano', needs: SSSE3 },
  { name: 'Opteron', needs: ['sse2', '3dnow', '3dnowext'] },
  { name: 'Opteron_SSE3', needs: [...SSE3, '3dnow', '3dnowext'] },
  { name: 'Barcelona', needs: [...SSE3, ...AMD_SSE] },
  { name: 'Bobcat', needs: [...SSSE3, ...AMD_SSE] },
  { name: 'Sandybridge', needs: [...SSE4_2, 'avx'] },
  { name: 'Bulldozer', needs: [...SSE3, ...AMD_SSE, 'avx', 'fma4'] },
  { name: 'Piledriver', needs: FMA4 },
  { name: 'Steamroller', needs: FMA4 },
  { name: 'Excavator', needs: FMA4 },
  { name: 'Haswell', needs: AVX2 },
  // No AMD-only instruction: OpenBLAS runs these on Hygon and Zhaoxin CPUs too.
  { name: 'Zen', needs: AVX2 },
  { name: 'SkylakeX', needs: AVX512 },
  { name: 'Cooperlake', needs: BF16 },
  { name: 'SapphireRapids', needs: [...BF16, 'avx512_fp16', 'amx_tile', 'amx_bf16', 'amx_int8'] },
];

/** The instruction-set flags of this machine's first CPU; none where /proc/cpuinfo is missing. */
export function cpuFlags(): Set<string> {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return new Set();
  }
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  return new Set(line.trim().split(/\s+/));
}

/** The flags `family` needs that `flags` lacks; on anything but x86-64, all of them. */
export function missingFlags(family: KernelFamily, flags: Set<string>): string[] {
  return process.arch === 'x64' ? family.needs.filter((flag) => !flags.has(flag)) : [...family.needs];
}
