#include "plan.h"

#include <chrono>
#include <climits>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>
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
    case ArgKind::kFloat:
      // Rounded as the kernel's JavaScript entry rounds it (ArgOf<float>).
      arg.f = static_cast<float>(value);
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

bool IsNumberKind(ArgKind kind) {
  return kind == ArgKind::kInt || kind == ArgKind::kDouble || kind == ArgKind::kFloat || kind == ArgKind::kBool;
}

// The typed array type of an array kind's arrays (of a list kind's entries).
napi_typedarray_type ArrayTypeOf(ArgKind kind) {
  switch (kind) {
    case ArgKind::kFloat32Array:
    case ArgKind::kFloat32ArrayList:
      return napi_float32_array;
    case ArgKind::kUint32Array:
      return napi_uint32_array;
    default:
      return napi_float64_array;
  }
}

template <typename T>
constexpr napi_typedarray_type kTypedArrayOf = std::is_same_v<T, float> ? napi_float32_array : napi_float64_array;

// Asks for rows order[start …start + count) of `data` to be brought into the cache.
template <typename T>
void PrefetchRows(int count, int cols, const T* data, const uint32_t* order, int start) {
#if defined(__GNUC__)
  constexpr size_t kLine = 64;
  const size_t row_bytes = static_cast<size_t>(cols) * sizeof(T);
  for (int r = 0; r < count; r++) {
    const char* row = reinterpret_cast<const char*>(data + static_cast<size_t>(order[start + r]) * cols);
    for (size_t offset = 0; offset < row_bytes; offset += kLine) __builtin_prefetch(row + offset);
  }
#endif
}

}  // namespace

// The constructor's description, read once: its typed arrays as views, and what a
// recorded value stands for.
class Plan::Description {
 public:
  Description(Napi::Env env, const Napi::Object& description) : env_(env) {
    const TypedArrayView values = ViewOf(description.Get("values"), napi_float64_array, "values");
    const TypedArrayView is_array = ViewOf(description.Get("isArray"), napi_uint8_array, "isArray");
    const TypedArrayView lists = ViewOf(description.Get("lists"), napi_uint32_array, "lists");
    arrays_ = description.Get("arrays").As<Napi::Array>();
    input_count_ = description.Get("inputs").As<Napi::Number>().Uint32Value();
    if (values.length != is_array.length || input_count_ > arrays_.Length()) {
      Internal(env, "description is inconsistent");
    }
    value_ = static_cast<const double*>(values.data);
    flag_ = static_cast<const uint8_t*>(is_array.data);
    length_ = values.length;
    lists_ = static_cast<const uint32_t*>(lists.data);
    lists_length_ = lists.length;
    views_.reserve(arrays_.Length());
    for (uint32_t i = 0; i < arrays_.Length(); i++) views_.push_back(ViewOf(arrays_.Get(i), "an array of the plan"));
  }

  Napi::Env env() const { return env_; }
  const Napi::Array& arrays() const { return arrays_; }
  uint32_t input_count() const { return input_count_; }
  size_t length() const { return length_; }
  double value(size_t at) const { return value_[at]; }
  const TypedArrayView& view(uint32_t index) const { return views_[index]; }

  // Whether values[at] is a number; an array's index (flag 1); a list's offset (flag 2).
  bool IsNumber(size_t at) const { return flag_[at] == 0; }

  // The index in `arrays` that values[at] holds, or -1 when it holds none.
  int64_t ArrayIndex(size_t at) const {
    const double index = value_[at];
    if (flag_[at] != 1 || !(index >= 0 && index < views_.size()) || index != std::floor(index)) return -1;
    return static_cast<int64_t>(index);
  }

  // The list that values[at] holds: its entries' indices in `arrays` (empty if it holds none).
  std::vector<uint32_t> ListEntries(size_t at) const {
    const double offset = value_[at];
    if (flag_[at] != 2 || !(offset >= 0 && offset < lists_length_) || offset != std::floor(offset)) {
      Internal(env_, "list argument is not an offset of its lists");
    }
    const size_t first = static_cast<size_t>(offset);
    const uint32_t count = lists_[first];
    if (count > lists_length_ - first - 1) Internal(env_, "list runs past its lists");
    return {lists_ + first + 1, lists_ + first + 1 + count};
  }

  // Whether the recorded arguments values[first …] are of the kinds an instantiation takes.
  bool Matches(const ArgKind* kinds, size_t arity, size_t first) const {
    for (size_t a = 0; a < arity; a++) {
      const size_t at = first + a;
      const ArgKind kind = kinds[a];
      if (IsNumberKind(kind)) {
        if (!IsNumber(at)) return false;
      } else if (kind == ArgKind::kFloat64ArrayList || kind == ArgKind::kFloat32ArrayList) {
        if (flag_[at] != 2) return false;
        for (const uint32_t index : ListEntries(at)) {
          if (index >= views_.size() || views_[index].type != ArrayTypeOf(kind)) return false;
        }
      } else {
        const int64_t index = ArrayIndex(at);
        if (index < 0 || views_[index].type != ArrayTypeOf(kind)) return false;
      }
    }
    return true;
  }

 private:
  Napi::Env env_;
  Napi::Array arrays_;
  uint32_t input_count_ = 0;
  const double* value_ = nullptr;
  const uint8_t* flag_ = nullptr;
  size_t length_ = 0;
  const uint32_t* lists_ = nullptr;
  size_t lists_length_ = 0;
  std::vector<TypedArrayView> views_;
};

Napi::Function Plan::Define(Napi::Env env) {
  return DefineClass(env, "Plan",
                     {
                         InstanceMethod<&Plan::Bind>("bind"),
                         InstanceMethod<&Plan::Step>("step"),
                         InstanceMethod<&Plan::TrainBatches>("trainBatches"),
                     });
}

// new Plan({ kernels, values, isArray, arrays, inputs, lists, records })
//   kernels  the kernel of each call, by name (or ".requireFinite": stop unless
//            element 0 of its one array argument, a Float64Array, is finite)
//   values   every call's arguments, in order: numbers, and for arrays their index
//   isArray  1 where `values` holds an array's index, 2 where it holds a list's
//            offset in `lists`
//   arrays   the arrays; the first `inputs` are inputs that bind() may replace, all
//            Float64Arrays or all Float32Arrays
//   lists    lists of arrays, one after another: a count, then that many indices
//            into `arrays`
//   records  pairs (array, count): per batch, trainBatches copies the first `count`
//            values of each, a Float64Array, into its `records` argument
Plan::Plan(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Plan>(info) {
  Napi::Env env = info.Env();
  const Napi::Object object = info[0].As<Napi::Object>();
  const Description description(env, object);
  const Napi::Array kernels = object.Get("kernels").As<Napi::Array>();
  const TypedArrayView records = ViewOf(object.Get("records"), napi_uint32_array, "records");
  if (records.length % 2 != 0) Internal(env, "description is inconsistent");

  const uint32_t input_count = description.input_count();
  if (input_count > 0) input_type_ = description.view(0).type;
  for (uint32_t i = 0; i < input_count; i++) {
    const TypedArrayView& input = description.view(i);
    if (input.type != input_type_ || (input_type_ != napi_float64_array && input_type_ != napi_float32_array)) {
      Internal(env, "inputs are not all Float64Arrays or all Float32Arrays");
    }
    inputs_.push_back(input.data);
    input_lengths_.push_back(input.length);
  }

  size_t next = 0;
  for (uint32_t c = 0; c < kernels.Length(); c++) {
    const std::string name = kernels.Get(c).As<Napi::String>().Utf8Value();
    if (name == kRequireFinite) {
      if (next + 1 > description.length()) Internal(env, "arguments end early");
      const int64_t index = description.ArrayIndex(next++);
      if (index < input_count || description.view(index).type != napi_float64_array ||
          description.view(index).length == 0) {
        Internal(env, "checks a value outside its own arrays");
      }
      calls_.push_back({nullptr, 0, static_cast<const double*>(description.view(index).data)});
      continue;
    }
    const KernelEntry* kernel = FindKernel(name);
    if (kernel == nullptr) Internal(env, "calls an unknown kernel " + name);
    if (next + kernel->arity > description.length()) Internal(env, "arguments end early");
    const PlanEntry* chosen = nullptr;
    for (const PlanEntry& candidate : kernel->plans) {
      if (candidate.run != nullptr && description.Matches(candidate.kinds, kernel->arity, next)) {
        chosen = &candidate;
        break;
      }
    }
    if (chosen == nullptr) Internal(env, "calls " + name + " with arguments no instantiation of it takes");
    calls_.push_back({chosen->run, static_cast<uint32_t>(args_.size()), nullptr});
    for (size_t a = 0; a < kernel->arity; a++, next++) {
      const ArgKind kind = chosen->kinds[a];
      PlanArg arg{};
      if (IsNumberKind(kind)) {
        arg = NumberArg(env, kind, description.value(next), kernel->name);
      } else if (kind == ArgKind::kFloat64ArrayList) {
        arg.list = ListAt<double>(description, next);
      } else if (kind == ArgKind::kFloat32ArrayList) {
        arg.list32 = ListAt<float>(description, next);
      } else {
        // Matches checked the index and the array's type.
        const auto index = static_cast<uint32_t>(description.ArrayIndex(next));
        void* data = description.view(index).data;
        if (kind == ArgKind::kFloat64Array) arg.f64 = static_cast<double*>(data);
        else if (kind == ArgKind::kFloat32Array) arg.f32 = static_cast<float*>(data);
        else arg.u32 = static_cast<uint32_t*>(data);
        if (index < input_count) input_uses_.push_back({index, static_cast<uint32_t>(args_.size())});
      }
      args_.push_back(arg);
    }
  }
  if (next != description.length()) Internal(env, "has arguments left over");

  const uint32_t* pair = static_cast<const uint32_t*>(records.data);
  for (size_t r = 0; r < records.length; r += 2) {
    const uint32_t index = pair[r];
    const uint32_t count = pair[r + 1];
    if (index < input_count || index >= description.arrays().Length() ||
        description.view(index).type != napi_float64_array || count > description.view(index).length) {
      Internal(env, "records values outside its own arrays");
    }
    records_.push_back({static_cast<const double*>(description.view(index).data), count});
    record_length_ += count;
  }
  arrays_ = Napi::Persistent(description.arrays());
}

template <typename T>
const ArrayList<T>* Plan::ListAt(const Description& description, size_t at) {
  auto storage = std::make_unique<ListStorage<T>>();
  for (const uint32_t index : description.ListEntries(at)) {
    const TypedArrayView& view = description.view(index);
    if (index < description.input_count() || view.type != kTypedArrayOf<T> ||
        view.length > static_cast<size_t>(INT_MAX)) {
      Internal(description.env(), "list holds an array outside its own arrays of the list's type");
    }
    storage->data.push_back(static_cast<T*>(view.data));
    storage->lengths.push_back(static_cast<int>(view.length));
  }
  storage->list = {static_cast<int>(storage->data.size()), storage->data.data(), storage->lengths.data()};
  const ArrayList<T>* list = &storage->list;
  lists_.push_back(std::move(storage));
  return list;
}

void Plan::PointAt(uint32_t arg, void* data) {
  if (input_type_ == napi_float32_array) args_[arg].f32 = static_cast<float*>(data);
  else args_[arg].f64 = static_cast<double*>(data);
}

Napi::Value Plan::Bind(const Napi::CallbackInfo& info) {
  const uint32_t slot = info[0].As<Napi::Number>().Uint32Value();
  if (slot >= inputs_.size()) Internal(info.Env(), "has no such input");
  const TypedArrayView view = ViewOf(info[1], input_type_, "an input");
  inputs_[slot] = view.data;
  input_lengths_[slot] = view.length;
  for (const InputUse& use : input_uses_) {
    if (use.slot == slot) PointAt(use.arg, view.data);
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
// order[start + b·batchRows …] of the `rows` × xCols data x (and of y), of the inputs'
// element type, into inputs 0 and 1, runs the calls, and copies the record values
// into records[b·length …]. Stops early, after at least one batch, once `budgetMs`
// have passed; before a batch when the Int32Array `stop` (or null) holds a nonzero
// value; and at a batch whose loss check fails, whose record is written but which
// does not count as trained (its update was not applied). Returns
// 4 · (batches trained) + the Stop reason.
Napi::Value Plan::TrainBatches(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const TypedArrayView x = ViewOf(info[0], input_type_, "x");
  const int x_cols = Int(info[1]);
  const TypedArrayView y = ViewOf(info[2], input_type_, "y");
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
  const uint32_t* row_order = static_cast<const uint32_t*>(order.data);
  const size_t ordered = static_cast<size_t>(count) * batch_rows;
  for (size_t r = 0; r < ordered; r++) {
    if (row_order[start + r] >= static_cast<uint32_t>(rows)) Internal(env, "row order names a row past the data");
  }

  double* record = static_cast<double*>(records.data);
  Stop reason = kCountReached;
  const int trained =
      input_type_ == napi_float32_array
          ? TrainBatchesOf(static_cast<const float*>(x.data), x_cols, static_cast<const float*>(y.data), y_cols,
                           row_order, start, batch_rows, count, record, stop, budget_ms, &reason)
          : TrainBatchesOf(static_cast<const double*>(x.data), x_cols, static_cast<const double*>(y.data), y_cols,
                           row_order, start, batch_rows, count, record, stop, budget_ms, &reason);
  return Napi::Number::New(env, 4.0 * trained + reason);
}

template <typename T>
int Plan::TrainBatchesOf(const T* x, int x_cols, const T* y, int y_cols, const uint32_t* order, int start,
                         int batch_rows, int count, double* record, const int32_t* stop, double budget_ms,
                         Stop* reason) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point began = Clock::now();
  const auto budget = std::chrono::duration<double, std::milli>(budget_ms);
  T* const batch_x = static_cast<T*>(inputs_[0]);
  T* const batch_y = static_cast<T*>(inputs_[1]);
  int trained = 0;
  while (trained < count) {
    if (stop != nullptr && __atomic_load_n(stop, __ATOMIC_ACQUIRE) != 0) {
      *reason = kStopRequested;
      break;
    }
    const int first = start + trained * batch_rows;
    kernels::GatherRows(batch_rows, x_cols, x, order, first, batch_x);
    kernels::GatherRows(batch_rows, y_cols, y, order, first, batch_y);
    // The rows of a shuffled batch are scattered over the data set: while this step
    // runs, the next batch's come into the cache.
    if (trained + 1 < count) {
      PrefetchRows(batch_rows, x_cols, x, order, first + batch_rows);
      PrefetchRows(batch_rows, y_cols, y, order, first + batch_rows);
    }
    const bool finite = RunOnce();
    for (const Record& source : records_) {
      for (uint32_t v = 0; v < source.count; v++) *record++ = source.from[v];
    }
    if (!finite) {
      *reason = kNonFiniteLoss;
      break;
    }
    trained++;
    if (trained < count && Clock::now() - began >= budget) {
      *reason = kBudgetSpent;
      break;
    }
  }
  return trained;
}

}  // namespace blasprop
