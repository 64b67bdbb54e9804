// Module registration. Node-API addons are context-aware: every worker thread that
// loads this module runs Init for its own environment, and nothing here holds
// per-process JavaScript state. OpenBLAS itself is safe to call from several
// threads at once (Debian's pthread build serialises its shared buffers).
#include <napi.h>

#include "blas_routines.h"
#include "blas_runtime.h"
#include "kernels/activations.h"
#include "kernels/dropout.h"
#include "kernels/gradient_norm.h"
#include "kernels/losses.h"
#include "kernels/metrics.h"
#include "kernels/optimizers.h"
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
  exports.Set("tanhForward", Napi::Function::New(env, TanhForward, "tanhForward"));
  exports.Set("tanhBackward", Napi::Function::New(env, TanhBackward, "tanhBackward"));
  exports.Set("sigmoidForward", Napi::Function::New(env, SigmoidForward, "sigmoidForward"));
  exports.Set("sigmoidBackward", Napi::Function::New(env, SigmoidBackward, "sigmoidBackward"));
  exports.Set("leakyReluForward", Napi::Function::New(env, LeakyReluForward, "leakyReluForward"));
  exports.Set("leakyReluBackward", Napi::Function::New(env, LeakyReluBackward, "leakyReluBackward"));
  exports.Set("geluForward", Napi::Function::New(env, GeluForward, "geluForward"));
  exports.Set("geluBackward", Napi::Function::New(env, GeluBackward, "geluBackward"));
  exports.Set("dropoutForward", Napi::Function::New(env, DropoutForward, "dropoutForward"));
  exports.Set("dropoutBackward", Napi::Function::New(env, DropoutBackward, "dropoutBackward"));
  exports.Set("mseLoss", Napi::Function::New(env, MseLoss, "mseLoss"));
  exports.Set("l1Loss", Napi::Function::New(env, L1Loss, "l1Loss"));
  exports.Set("huberLoss", Napi::Function::New(env, HuberLoss, "huberLoss"));
  exports.Set("bceWithLogitsLoss", Napi::Function::New(env, BceWithLogitsLoss, "bceWithLogitsLoss"));
  exports.Set("crossEntropyLoss", Napi::Function::New(env, CrossEntropyLoss, "crossEntropyLoss"));
  exports.Set("softmaxRows", Napi::Function::New(env, SoftmaxRows, "softmaxRows"));
  exports.Set("argmaxRows", Napi::Function::New(env, ArgmaxRows, "argmaxRows"));
  exports.Set("positiveIndicator", Napi::Function::New(env, PositiveIndicator, "positiveIndicator"));
  exports.Set("sgdBegin", Napi::Function::New(env, SgdBegin, "sgdBegin"));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
  exports.Set("adamBegin", Napi::Function::New(env, AdamBegin, "adamBegin"));
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("rmspropUpdate", Napi::Function::New(env, RmspropUpdate, "rmspropUpdate"));
  exports.Set("clipGradNorm", Napi::Function::New(env, ClipGradNorm, "clipGradNorm"));
  exports.Set("maeSums", Napi::Function::New(env, MaeSums, "maeSums"));
  exports.Set("squaredErrorSums", Napi::Function::New(env, SquaredErrorSums, "squaredErrorSums"));
  exports.Set("accuracySums", Napi::Function::New(env, AccuracySums, "accuracySums"));
  exports.Set("r2Sums", Napi::Function::New(env, R2Sums, "r2Sums"));
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("claimProcessDefaults", Napi::Function::New(env, ClaimProcessDefaults, "claimProcessDefaults"));
  return exports;
}

}  // namespace

NODE_API_MODULE(blasprop, InitAddon)
