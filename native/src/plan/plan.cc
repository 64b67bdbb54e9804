#include "plan.h"

#include <chrono>
#include <climits>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "../fork_guard.h"
#include "../kernels/copy.h"

namespace blasprop {

namespace {

constexpr char kRequireFinite[] = ".requireFinite";

TypedArrayView ViewOf(const Napi::Value& value, const char* what) {
  TypedArrayView view{};
  if (!value.IsTypedArray() ||
      napi_get_typedarray_info(value.Env(), value, &view.type, &view.length, &view.data, nullptr, nullptr) !=
          napi_ok) {
    throw Napi::TypeError::New(value.Env(), std::string("internal: expected a typed array for ") + what);
  }
  return view;
}

TypedArrayView ViewOf(const Napi::Value& value, napi_typedarray_type type, const char* what) {
  TypedArrayView view = ViewOf(value, what);
  if (view.type != type) {
    throw Napi::TypeError::New(value.Env(), std::string("internal: wrong kind of typed array for ") + what);
  }
  return view;
}

[[noreturn]] void Internal(Napi::Env env, const std::string& message) {
  throw Napi::Error::New(env, "internal: plan " + message);
}

// A recorded number as the argument kind the kernel's signature says.
PlanArg NumberArg(Napi::Env env, ArgKind kind, double value, const char* kernel) {
  PlanArg arg{};
  switch (kind) {
    case ArgKind::kInt:
      if (!(value >= INT_MIN && value <= INT_MAX) || value != std::floor(value)) {
        Internal(env, std::string("argument of ") + kernel + " is not an int");
      }
      arg.i = static_cast<int>(value);
      break;
    case ArgKind::kDouble:
      arg.d = value;
      break;
    case ArgKind::kBool:
      if (value != 0 && value != 1) Internal(env, std::string("argument of ") + kernel + " is not a boolean");
      arg.b = value == 1;
      break;
    default:
      Internal(env, std::string("array argument of ") + kernel + " recorded as a number");
  }
  return arg;
}

// Asks for rows order[start …start + count) of `data` to be brought into the cache.
void PrefetchRows(int count, int cols, const double* data, const uint32_t* order, int start) {
#if defined(__GNUC__)
  constexpr size_t kLine = 64;
  const size_t row_bytes = static_cast<size_t>(cols) * sizeof(double);
  for (int r = 0; r < count; r++) {
    const char* row = reinterpret_cast<const char*>(data + static_cast<size_t>(order[start + r]) * cols);
    for (size_t offset = 0; offset < row_bytes; offset += kLine) __builtin_prefetch(row + offset);
  }
#endif
}

}  // namespace

Napi::Function Plan::Define(Napi::Env env) {
  return DefineClass(env, "Plan",
                     {
                         InstanceMethod<&Plan::Bind>("bind"),
                         InstanceMethod<&Plan::Step>("step"),
                         InstanceMethod<&Plan::TrainBatches>("trainBatches"),
                     });
}

// new Plan({ kernels, values, isArray, arrays, inputs, records })
//   kernels  the kernel of each call, by name (or ".requireFinite": stop unless
//            element 0 of its one array argument is finite)
//   values   every call's arguments, in order: numbers, and for arrays their index
//   isArray  1 where `values` holds an array's index, 2 where it holds a list's
//            offset in `lists`
//   arrays   the arrays; the first `inputs` are inputs that bind() may replace
//   lists    lists of Float64Arrays, one after another: a count, then that many
//            indices into `arrays`
//   records  pairs (array, count): per batch, trainBatches copies the first `count`
//            values of each into its `records` argument
Plan::Plan(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Plan>(info) {
  Napi::Env env = info.Env();
  Napi::Object description = info[0].As<Napi::Object>();
  Napi::Array kernels = description.Get("kernels").As<Napi::Array>();
  TypedArrayView values = ViewOf(description.Get("values"), napi_float64_array, "values");
  TypedArrayView is_array = ViewOf(description.Get("isArray"), napi_uint8_array, "isArray");
  Napi::Array arrays = description.Get("arrays").As<Napi::Array>();
  const uint32_t input_count = description.Get("inputs").As<Napi::Number>().Uint32Value();
  TypedArrayView records = ViewOf(description.Get("records"), napi_uint32_array, "records");
  TypedArrayView lists = ViewOf(description.Get("lists"), napi_uint32_array, "lists");
  if (values.length != is_array.length || input_count > arrays.Length() || records.length % 2 != 0) {
    Internal(env, "description is inconsistent");
  }

  std::vector<TypedArrayView> views;
  views.reserve(arrays.Length());
  for (uint32_t i = 0; i < arrays.Length(); i++) views.push_back(ViewOf(arrays.Get(i), "an array of the plan"));
  for (uint32_t i = 0; i < input_count; i++) {
    if (views[i].type != napi_float64_array) Internal(env, "input is not a Float64Array");
    inputs_.push_back(static_cast<double*>(views[i].data));
    input_lengths_.push_back(views[i].length);
  }

  const double* value = static_cast<const double*>(values.data);
  const uint8_t* array_flag = static_cast<const uint8_t*>(is_array.data);
  size_t next = 0;
  auto array_at = [&](size_t at) -> uint32_t {
    const double index = value[at];
    if (array_flag[at] != 1 || !(index >= 0 && index < views.size()) || index != std::floor(index)) {
      Internal(env, "array argument is not an index of its arrays");
    }
    return static_cast<uint32_t>(index);
  };
  for (uint32_t c = 0; c < kernels.Length(); c++) {
    const std::string name = kernels.Get(c).As<Napi::String>().Utf8Value();
    if (name == kRequireFinite) {
      if (next + 1 > values.length) Internal(env, "arguments end early");
      const uint32_t index = array_at(next++);
      if (index < input_count || views[index].type != napi_float64_array || views[index].length == 0) {
        Internal(env, "checks a value outside its own arrays");
      }
      calls_.push_back({nullptr, 0, static_cast<const double*>(views[index].data)});
      continue;
    }
    const KernelEntry* kernel = FindKernel(name);
    if (kernel == nullptr) Internal(env, "calls an unknown kernel " + name);
    if (next + kernel->arity > values.length) Internal(env, "arguments end early");
    calls_.push_back({kernel->run, static_cast<uint32_t>(args_.size()), nullptr});
    for (size_t a = 0; a < kernel->arity; a++, next++) {
      const ArgKind kind = kernel->kinds[a];
      if (kind == ArgKind::kFloat || kind == ArgKind::kFloat32Array || kind == ArgKind::kFloat32ArrayList) {
        Internal(env, "calls " + name + " in float32: plans record float64 steps only");
      }
      if (kind == ArgKind::kFloat64ArrayList) {
        PlanArg arg{};
        arg.list = ListAt(env, next, value, array_flag, lists, views, input_count);
        args_.push_back(arg);
        continue;
      }
      if (kind != ArgKind::kFloat64Array && kind != ArgKind::kUint32Array) {
        if (array_flag[next]) Internal(env, "number argument of " + name + " recorded as an array");
        args_.push_back(NumberArg(env, kind, value[next], kernel->name));
        continue;
      }
      const uint32_t index = array_at(next);
      const TypedArrayView& view = views[index];
      PlanArg arg{};
      if (kind == ArgKind::kFloat64Array && view.type == napi_float64_array) {
        arg.f64 = static_cast<double*>(view.data);
      } else if (kind == ArgKind::kUint32Array && view.type == napi_uint32_array) {
        arg.u32 = static_cast<uint32_t*>(view.data);
      } else {
        Internal(env, "array argument of " + name + " has the wrong type");
      }
      if (index < input_count) input_uses_.push_back({index, static_cast<uint32_t>(args_.size())});
      args_.push_back(arg);
    }
  }
  if (next != values.length) Internal(env, "has arguments left over");

  const uint32_t* pair = static_cast<const uint32_t*>(records.data);
  for (size_t r = 0; r < records.length; r += 2) {
    const uint32_t index = pair[r];
    const uint32_t count = pair[r + 1];
    if (index < input_count || index >= views.size() || views[index].type != napi_float64_array ||
        count > views[index].length) {
      Internal(env, "records values outside its own arrays");
    }
    records_.push_back({static_cast<const double*>(views[index].data), count});
    record_length_ += count;
  }
  arrays_ = Napi::Persistent(arrays);
}

// The list whose offset in `lists` is values[at], resolved once and kept by the plan.
const Float64ArrayList* Plan::ListAt(Napi::Env env, size_t at, const double* value, const uint8_t* array_flag,
                                     const TypedArrayView& lists, const std::vector<TypedArrayView>& views,
                                     uint32_t input_count) {
  const double offset = value[at];
  const uint32_t* entries = static_cast<const uint32_t*>(lists.data);
  if (array_flag[at] != 2 || !(offset >= 0 && offset < lists.length) || offset != std::floor(offset)) {
    Internal(env, "list argument is not an offset of its lists");
  }
  const size_t first = static_cast<size_t>(offset);
  const uint32_t count = entries[first];
  if (count > lists.length - first - 1) Internal(env, "list runs past its lists");
  auto storage = std::make_unique<ListStorage>();
  for (uint32_t k = 0; k < count; k++) {
    const uint32_t index = entries[first + 1 + k];
    if (index < input_count || index >= views.size() || views[index].type != napi_float64_array ||
        views[index].length > static_cast<size_t>(INT_MAX)) {
      Internal(env, "list holds an array outside its own Float64Arrays");
    }
    storage->data.push_back(static_cast<double*>(views[index].data));
    storage->lengths.push_back(static_cast<int>(views[index].length));
  }
  storage->list = {static_cast<int>(count), storage->data.data(), storage->lengths.data()};
  lists_.push_back(std::move(storage));
  return &lists_.back()->list;
}

Napi::Value Plan::Bind(const Napi::CallbackInfo& info) {
  const uint32_t slot = info[0].As<Napi::Number>().Uint32Value();
  if (slot >= inputs_.size()) Internal(info.Env(), "has no such input");
  const TypedArrayView view = ViewOf(info[1], napi_float64_array, "an input");
  double* data = static_cast<double*>(view.data);
  inputs_[slot] = data;
  input_lengths_[slot] = view.length;
  for (const InputUse& use : input_uses_) {
    if (use.slot == slot) args_[use.arg].f64 = data;
  }
  // The plan holds what it points into.
  arrays_.Value().Set(slot, info[1]);
  return info.Env().Undefined();
}

bool Plan::RunOnce() {
  BlasCallScope scope;
  const PlanArg* args = args_.data();
  for (const Call& call : calls_) {
    if (call.run == nullptr) {
      if (!std::isfinite(*call.checked)) return false;
    } else {
      call.run(args + call.first_arg);
    }
  }
  return true;
}

Napi::Value Plan::Step(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), RunOnce() ? 0 : kNonFiniteLoss);
}

// trainBatches(x, xCols, y, yCols, rows, order, start, batchRows, count, records, stop, budgetMs)
//
// Trains up to `count` batches of `batchRows` rows each: batch b gathers rows
// order[start + b·batchRows …] of the `rows` × xCols data x (and of y) into inputs 0
// and 1, runs the calls, and copies the record values into records[b·length …].
// Stops early, after at least one batch, once `budgetMs` have passed; before a batch
// when the Int32Array `stop` (or null) holds a nonzero value; and at a batch whose
// loss check fails, whose record is written but which does not count as trained (its
// update was not applied). Returns 4 · (batches trained) + the Stop reason.
Napi::Value Plan::TrainBatches(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const TypedArrayView x = ViewOf(info[0], napi_float64_array, "x");
  const int x_cols = Int(info[1]);
  const TypedArrayView y = ViewOf(info[2], napi_float64_array, "y");
  const int y_cols = Int(info[3]);
  const int rows = Int(info[4]);
  const TypedArrayView order = ViewOf(info[5], napi_uint32_array, "order");
  const int start = Int(info[6]);
  const int batch_rows = Int(info[7]);
  const int count = Int(info[8]);
  const TypedArrayView records = ViewOf(info[9], napi_float64_array, "records");
  const int32_t* stop = info[10].IsNull() ? nullptr : Int32Data(info[10]);
  const double budget_ms = Double(info[11]);

  // TypeScript sized all of these; a mistake there must not become a wild write here.
  const auto fits = [](size_t needed, size_t length) { return needed <= length; };
  if (inputs_.size() < 2 || x_cols < 0 || y_cols < 0 || rows < 0 || start < 0 || batch_rows < 1 || count < 0 ||
      !fits(static_cast<size_t>(rows) * x_cols, x.length) || !fits(static_cast<size_t>(rows) * y_cols, y.length) ||
      !fits(static_cast<size_t>(start) + static_cast<size_t>(count) * batch_rows, order.length) ||
      !fits(static_cast<size_t>(count) * record_length_, records.length) ||
      !fits(static_cast<size_t>(batch_rows) * x_cols, input_lengths_[0]) ||
      !fits(static_cast<size_t>(batch_rows) * y_cols, input_lengths_[1])) {
    Internal(env, "was asked to train batches that do not fit its arrays");
  }
  const double* x_data = static_cast<const double*>(x.data);
  const double* y_data = static_cast<const double*>(y.data);
  const uint32_t* row_order = static_cast<const uint32_t*>(order.data);
  double* record = static_cast<double*>(records.data);

  const size_t ordered = static_cast<size_t>(count) * batch_rows;
  for (size_t r = 0; r < ordered; r++) {
    if (row_order[start + r] >= static_cast<uint32_t>(rows)) Internal(env, "row order names a row past the data");
  }

  using Clock = std::chrono::steady_clock;
  const Clock::time_point began = Clock::now();
  const auto budget = std::chrono::duration<double, std::milli>(budget_ms);
  int trained = 0;
  Stop reason = kCountReached;
  while (trained < count) {
    if (stop != nullptr && __atomic_load_n(stop, __ATOMIC_ACQUIRE) != 0) {
      reason = kStopRequested;
      break;
    }
    const int first = start + trained * batch_rows;
    kernels::GatherRows(batch_rows, x_cols, x_data, row_order, first, inputs_[0]);
    kernels::GatherRows(batch_rows, y_cols, y_data, row_order, first, inputs_[1]);
    // The rows of a shuffled batch are scattered over the data set: while this step
    // runs, the next batch's come into the cache.
    if (trained + 1 < count) {
      PrefetchRows(batch_rows, x_cols, x_data, row_order, first + batch_rows);
      PrefetchRows(batch_rows, y_cols, y_data, row_order, first + batch_rows);
    }
    const bool finite = RunOnce();
    for (const Record& source : records_) {
      for (uint32_t v = 0; v < source.count; v++) *record++ = source.from[v];
    }
    if (!finite) {
      reason = kNonFiniteLoss;
      break;
    }
    trained++;
    if (trained < count && Clock::now() - began >= budget) {
      reason = kBudgetSpent;
      break;
    }
  }
  return Napi::Number::New(env, 4.0 * trained + reason);
}

}  // namespace blasprop
