#pragma once

#include <napi.h>

namespace blasprop {

// What OpenBLAS was built as and what it picked for this CPU.
Napi::Value BuildInfo(const Napi::CallbackInfo& info);
// OpenBLAS's thread pool is process-wide: these affect every thread and worker.
Napi::Value GetNumThreads(const Napi::CallbackInfo& info);
Napi::Value SetNumThreads(const Napi::CallbackInfo& info);
// True for the first caller in the process only, false ever after: lets process-wide
// defaults (the thread count) be applied once, and not again by every worker thread
// that loads the addon later and would undo the application's own setting.
Napi::Value ClaimProcessDefaults(const Napi::CallbackInfo& info);

}  // namespace blasprop
