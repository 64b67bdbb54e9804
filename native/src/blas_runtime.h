#pragma once

#include <napi.h>

namespace blasprop {

// What OpenBLAS was built as and what it picked for this CPU.
Napi::Value BuildInfo(const Napi::CallbackInfo& info);
// OpenBLAS's thread pool is process-wide: these affect every thread and worker.
Napi::Value GetNumThreads(const Napi::CallbackInfo& info);
Napi::Value SetNumThreads(const Napi::CallbackInfo& info);

}  // namespace blasprop
