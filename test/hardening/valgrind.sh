#!/usr/bin/env bash
# npm run test:valgrind
#
# Runs a short training and every BLAS routine (test/hardening/valgrind/workload.mjs)
# under valgrind memcheck, with OpenBLAS at 1 and at 2 threads, against a -g build of
# the addon in build-valgrind/. Fails on any invalid read or write, use of
# uninitialised memory, or definitely lost block. memcheck sees every access,
# including those of OpenBLAS's assembly kernels, which AddressSanitizer does not.
#
# A canary run first (a raw-addon call that overruns its output) must be reported,
# or the clean result would mean nothing. Node 20 and V8 produce no memcheck noise on
# this workload, so no suppressions are needed; add them with VALGRIND_OPTS
# ("--suppressions=file") if a future Node does.
# Takes about two minutes. Needs valgrind (apt-get install -y valgrind).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# shellcheck source=native-build.sh
source "$root/test/hardening/native-build.sh"

if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: apt-get install -y valgrind" >&2
  exit 1
fi
folder="${BLASPROP_VALGRIND_DIR:-$root/build-valgrind}"

echo "== building the addon with -g into $folder"
npm run --silent build
addon="$(CXXFLAGS="-g -O1 -fno-omit-frame-pointer" build_native_copy "$folder")"
export BLASPROP_BINDING="$addon"

memcheck() {
  local log="$1"
  shift
  valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
    --errors-for-leak-kinds=definite --num-callers=30 --log-file="$log" node "$@"
}

echo "== canary: memcheck must see an overrun inside OpenBLAS"
if memcheck "$folder/canary.log" test/hardening/valgrind/canary.mjs >/dev/null; then
  echo "memcheck did not report the canary's overrun; see $folder/canary.log" >&2
  exit 1
fi
grep -q "Invalid write" "$folder/canary.log" || {
  echo "the canary failed without an invalid write; see $folder/canary.log" >&2
  exit 1
}
echo "reported: $(grep -m1 -A2 'Invalid write' "$folder/canary.log" | sed 's/==[0-9]*== *//' | tr '\n' ' ')"

status=0
for threads in 1 2; do
  log="$folder/workload-$threads-threads.log"
  echo "== memcheck: training and BLAS workload, $threads OpenBLAS thread(s)"
  if BLASPROP_NUM_THREADS="$threads" memcheck "$log" test/hardening/valgrind/workload.mjs; then
    grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$log" | sed 's/==[0-9]*== *//'
  else
    status=1
    echo "memcheck found problems; the report is in $log:" >&2
    grep -B2 -A25 -E "Invalid|uninitialised|definitely lost in" "$log" | head -120 >&2
  fi
done
if ((status == 0)); then echo "test:valgrind: 2 passed, 0 failed"; fi
exit "$status"
