#!/usr/bin/env bash
# npm run test:sanitize
#
# Builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/ and runs the native-facing tests and the concurrency stress against
# it, with the ASan runtime preloaded into node (node itself is not instrumented).
# Any report aborts the process, which fails the run.
#
# What this covers: every memory access and every undefined operation in the addon's
# own C++ (argument unpacking, the dscal loop, ...), and the heap calls that OpenBLAS
# makes through malloc/free/memcpy. OpenBLAS's own assembly kernels are not
# instrumented; their reads and writes are checked by valgrind.sh instead.
#
# Leak detection is off here (V8 keeps much of its heap until exit, which LeakSanitizer
# would report); leaks are the job of valgrind.sh and the soak.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=native-build.sh
source "$root/test/hardening/native-build.sh"

folder="${BLASPROP_SANITIZE_DIR:-$root/build-sanitize}"
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"

echo "== building the addon with ASan + UBSan into $folder"
npm run --silent build
addon="$(CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" build_native_copy "$folder")"
if ! nm -D "$addon" | grep __asan_report >/dev/null; then
  echo "$addon has no ASan instrumentation: the compiler flags did not reach the build" >&2
  exit 1
fi

export BLASPROP_BINDING="$addon"
export LD_PRELOAD="$(g++ -print-file-name=libasan.so)"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

# Proof that the sanitized binary is the one loaded, under the preloaded runtime.
node --input-type=module -e "
  import { readFileSync } from 'node:fs';
  import { blasInfo } from './dist/index.js';
  const { path } = blasInfo();
  if (path !== process.env.BLASPROP_BINDING) throw new Error('loaded ' + path + ', not the sanitized build');
  if (!readFileSync('/proc/self/maps', 'utf8').includes('libasan')) throw new Error('ASan runtime not loaded');
  console.log('loaded', path, 'under ASan');
"

echo "== canary: ASan must stop an overrun in the addon's own code"
# The raw addon trusts its sizes; dgemv with an empty inner dimension writes y in a
# loop of our C++. Four elements into a two-element y must be reported.
canary="$(node --input-type=module -e "
  import { loadBinding } from './dist/native/binding.js';
  const { binding } = loadBinding();
  const a = new Float64Array(8);
  binding.dgemv(false, 4, 0, 1, a, 1, a, 1, 0, new Float64Array(2), 1);
" 2>&1)" && {
  echo "the canary overrun went unreported: the addon is not instrumented" >&2
  exit 1
}
grep -q "heap-buffer-overflow" <<<"$canary" || {
  echo "the canary failed, but not with an ASan report:" >&2
  echo "$canary" >&2
  exit 1
}
echo "reported: $(grep -m1 -o 'heap-buffer-overflow.*' <<<"$canary")"

echo "== vitest: native-facing tests against the sanitized addon"
tests=()
for path in test/blas test/nn test/model test/hardening; do
  [[ -e "$path" ]] && tests+=("$path")
done
npx vitest run "${tests[@]}"

echo "== concurrency stress against the sanitized addon"
node test/hardening/stress.mjs --short

echo "== fuzz against the sanitized addon"
node test/hardening/fuzz.mjs --runs 20000

echo "test:sanitize: clean (no ASan or UBSan report)"
