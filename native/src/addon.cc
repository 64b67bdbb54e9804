// Module registration. Node-API addons are context-aware: every worker thread that
// loads this module runs Init for its own environment, and nothing here holds
// per-process JavaScript state. OpenBLAS itself is safe to call from several
// threads at once (Debian's pthread build serialises its shared buffers).
#include <napi.h>

#include "blas_routines.h"
#include "blas_runtime.h"
#include "kernels/relu.h"

namespace {

using namespace blasprop;

Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, Sgemm, "sgemm"));
  exports.Set("sgemv", Napi::Function::New(env, Sgemv, "sgemv"));
  exports.Set("saxpy", Napi::Function::New(env, Saxpy, "saxpy"));
  exports.Set("sscal", Napi::Function::New(env, Sscal, "sscal"));
  exports.Set("dgemm", Napi::Function::New(env, Dgemm, "dgemm"));
  exports.Set("dgemv", Napi::Function::New(env, Dgemv, "dgemv"));
  exports.Set("daxpy", Napi::Function::New(env, Daxpy, "daxpy"));
  exports.Set("dscal", Napi::Function::New(env, Dscal, "dscal"));
  exports.Set("reluForward", Napi::Function::New(env, ReluForward, "reluForward"));
  exports.Set("reluBackward", Napi::Function::New(env, ReluBackward, "reluBackward"));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("claimProcessDefaults", Napi::Function::New(env, ClaimProcessDefaults, "claimProcessDefaults"));
  return exports;
}

}  // namespace

NODE_API_MODULE(blasprop, InitAddon)
