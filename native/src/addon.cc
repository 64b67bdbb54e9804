// Module registration. Node-API addons are context-aware: every worker thread that
// loads this module runs Init for its own environment, and nothing here holds
// per-process JavaScript state. OpenBLAS itself is safe to call from several
// threads at once (Debian's pthread build serialises its shared buffers).
#include <napi.h>

#include "blas_runtime.h"
#include "kernels/kernel.h"
#include "plan/plan.h"

namespace {

using namespace blasprop;

Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  for (const KernelEntry* kernel = KernelsBegin(); kernel != KernelsEnd(); kernel++) {
    exports.Set(kernel->name, Napi::Function::New(env, kernel->js, kernel->name));
  }
  exports.Set("Plan", Plan::Define(env));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("claimProcessDefaults", Napi::Function::New(env, ClaimProcessDefaults, "claimProcessDefaults"));
  return exports;
}

}  // namespace

NODE_API_MODULE(blasprop, InitAddon)
