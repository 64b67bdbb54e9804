#include "blas_runtime.h"

#include <atomic>
#include <string>

#include "arguments.h"
#include "openblas.h"

#ifndef BLASPROP_OPENBLAS_STATIC
#define BLASPROP_OPENBLAS_STATIC 0
#endif

namespace blasprop {

namespace {
std::string Trimmed(const char* text) {
  std::string s = text == nullptr ? "" : text;
  size_t first = s.find_first_not_of(' ');
  size_t last = s.find_last_not_of(' ');
  return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}
}  // namespace

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("config", Trimmed(openblas_get_config()));
  result.Set("corename", Trimmed(openblas_get_corename()));
  result.Set("numProcs", openblas_get_num_procs());
  // 0 = sequential, 1 = pthreads, 2 = OpenMP.
  result.Set("parallel", openblas_get_parallel());
  result.Set("staticallyLinked", static_cast<bool>(BLASPROP_OPENBLAS_STATIC));
  result.Set("compiledWith", Trimmed(OPENBLAS_VERSION));
  return result;
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openblas_get_num_threads());
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  openblas_set_num_threads(Int(info[0]));
  return info.Env().Undefined();
}

Napi::Value ClaimProcessDefaults(const Napi::CallbackInfo& info) {
  static std::atomic<bool> claimed{false};
  return Napi::Boolean::New(info.Env(), !claimed.exchange(true));
}

}  // namespace blasprop
