// A recorded training step, replayed with no JavaScript in between (src/plan/).
//
// TypeScript records the kernel calls one step makes, each already validated, and
// hands them over as a description: for every call its kernel's name and
// arguments, where an array argument is an index into the plan's arrays. The plan
// resolves every kernel and every pointer once; `step()` then runs the calls in
// order, and `trainBatches()` runs whole mini-batches (gather, step, record) until a
// count, a time budget, a stop flag or a non-finite loss ends them.
//
// A plan replays a float64 or a float32 step alike: each call runs the instantiation
// of its kernel whose argument kinds match the arrays recorded for it, and the
// inputs, and the data trainBatches gathers from, are of the element type of the
// recorded inputs. The loss a call checks and the values recorded per batch are
// doubles in both (losses and metric sums accumulate in double).
//
// What the plan trusts TypeScript for (src/plan/step-plan.ts checks it before every
// call): that no array it holds was detached or shrunk since the recording, and
// that a rebound input is as long as the one recorded. It holds every array it
// points into, so none can be collected under it.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "../kernels/kernel.h"

namespace blasprop {

// A typed array's element type, length and first element, as the plan sees it.
struct TypedArrayView {
  napi_typedarray_type type;
  size_t length;
  void* data;
};

class Plan : public Napi::ObjectWrap<Plan> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Plan(const Napi::CallbackInfo& info);

  // Why trainBatches stopped, in the low bits of what it returns.
  enum Stop : int { kCountReached = 0, kBudgetSpent = 1, kStopRequested = 2, kNonFiniteLoss = 3 };

 private:
  struct Call {
    void (*run)(const PlanArg* args);  // nullptr: a finiteness check on *checked
    uint32_t first_arg;
    const double* checked;
  };
  struct InputUse {
    uint32_t slot;
    uint32_t arg;
  };
  struct Record {
    const double* from;
    uint32_t count;
  };
  // A list the plan resolved, of either element type. (Owned through unique_ptr, not
  // shared_ptr, whose reference count would ask for a glibc newer than the prebuild's floor.)
  struct ListHolder {
    virtual ~ListHolder() = default;
  };
  template <typename T>
  struct ListStorage : ListHolder {
    std::vector<T*> data;
    std::vector<int> lengths;
    ArrayList<T> list;
  };
  class Description;

  // bind(slot, array): points the calls that read input `slot` at another array.
  Napi::Value Bind(const Napi::CallbackInfo& info);
  // step(): runs the calls once; 0, or kNonFiniteLoss if a check stopped them.
  Napi::Value Step(const Napi::CallbackInfo& info);
  // trainBatches(x, y, rows, order, start, count, records, stop, budgetMs): see plan.cc.
  Napi::Value TrainBatches(const Napi::CallbackInfo& info);

  // Runs every call, under the fork guard; false if a finiteness check failed.
  bool RunOnce();
  // The batches of TrainBatches over data of element type T.
  template <typename T>
  int TrainBatchesOf(const T* x, int x_cols, const T* y, int y_cols, const uint32_t* order, int start, int batch_rows,
                     int count, double* record, const int32_t* stop, double budget_ms, Stop* reason);

  // The list at values[at] of the description, resolved once and kept by the plan.
  template <typename T>
  const ArrayList<T>* ListAt(const Description& description, size_t at);
  // Points the argument slot `arg` at `data`, an array of the inputs' element type.
  void PointAt(uint32_t arg, void* data);

  std::vector<Call> calls_;
  std::vector<PlanArg> args_;
  std::vector<InputUse> input_uses_;
  // The inputs' element type (every input has the one of the step's tensors).
  napi_typedarray_type input_type_ = napi_float64_array;
  std::vector<void*> inputs_;
  std::vector<size_t> input_lengths_;
  std::vector<Record> records_;
  std::vector<std::unique_ptr<ListHolder>> lists_;
  uint32_t record_length_ = 0;
  Napi::Reference<Napi::Array> arrays_;
};

}  // namespace blasprop
