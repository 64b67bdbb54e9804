// One definition per kernel, two ways to call it.
//
// Every kernel of a training step (the BLAS routines, ReLU's loops, the batch gather,
// …) is a plain function over sizes, scalars and pointers. From its signature alone,
// KernelOf derives both its Node-API entry point (the function the addon exports
// under the kernel's name, called by src/kernels/define.ts and src/blas/routines.ts
// with arguments TypeScript has already validated) and the trampoline a recorded
// plan calls with pre-resolved arguments (native/src/plan/). Adding a kernel is its
// plain function and one line in registry.cc: the two callers cannot disagree on
// what its arguments are. A kernel over tensors comes as two overloads, for double
// and for float tensors (EitherKernelOf): its entry point, and a plan, run the one of
// the call's tensors.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../arguments.h"
#include "../fork_guard.h"
#include "array_list.h"

namespace blasprop {

// What an argument is, as a plan encodes it: a number (int, double, bool, or float:
// an s-routine's scalar), an array the plan holds (Float64Array, Float32Array,
// Uint32Array), or a list of Float64Arrays or of Float32Arrays it holds.
enum class ArgKind : uint8_t {
  kInt,
  kDouble,
  kBool,
  kFloat64Array,
  kUint32Array,
  kFloat64ArrayList,
  kFloat,
  kFloat32Array,
  kFloat32ArrayList
};

// One argument of a recorded call, resolved once when the plan is built.
union PlanArg {
  int i;
  double d;
  bool b;
  double* f64;
  uint32_t* u32;
  const Float64ArrayList* list;
  float f;
  float* f32;
  const Float32ArrayList* list32;
};

template <typename T>
struct ArgOf;

template <>
struct ArgOf<int> {
  static constexpr ArgKind kKind = ArgKind::kInt;
  static int FromJs(const Napi::Value& v) { return Int(v); }
  static int FromPlan(const PlanArg& a) { return a.i; }
};

template <>
struct ArgOf<double> {
  static constexpr ArgKind kKind = ArgKind::kDouble;
  static double FromJs(const Napi::Value& v) { return Double(v); }
  static double FromPlan(const PlanArg& a) { return a.d; }
};

// A float routine's scalar, rounded to nearest as Math.fround rounds it.
template <>
struct ArgOf<float> {
  static constexpr ArgKind kKind = ArgKind::kFloat;
  static float FromJs(const Napi::Value& v) { return static_cast<float>(Double(v)); }
  static float FromPlan(const PlanArg& a) { return a.f; }
};

template <>
struct ArgOf<bool> {
  static constexpr ArgKind kKind = ArgKind::kBool;
  static bool FromJs(const Napi::Value& v) { return Bool(v); }
  static bool FromPlan(const PlanArg& a) { return a.b; }
};

template <>
struct ArgOf<double*> {
  static constexpr ArgKind kKind = ArgKind::kFloat64Array;
  static double* FromJs(const Napi::Value& v) { return Float64Data(v); }
  static double* FromPlan(const PlanArg& a) { return a.f64; }
};

template <>
struct ArgOf<const double*> : ArgOf<double*> {};

template <>
struct ArgOf<float*> {
  static constexpr ArgKind kKind = ArgKind::kFloat32Array;
  static float* FromJs(const Napi::Value& v) { return Float32Data(v); }
  static float* FromPlan(const PlanArg& a) { return a.f32; }
};

template <>
struct ArgOf<const float*> : ArgOf<float*> {};

template <>
struct ArgOf<uint32_t*> {
  static constexpr ArgKind kKind = ArgKind::kUint32Array;
  static uint32_t* FromJs(const Napi::Value& v) { return Uint32Data(v); }
  static uint32_t* FromPlan(const PlanArg& a) { return a.u32; }
};

template <>
struct ArgOf<const uint32_t*> : ArgOf<uint32_t*> {};

// From JavaScript, an array of typed arrays of element type T, unpacked into storage
// of the calling thread that lasts until its next call: kernels run to completion,
// one at a time.
template <typename T>
const ArrayList<T>* ArrayListFromJs(const Napi::Value& v) {
  thread_local std::vector<T*> data;
  thread_local std::vector<int> lengths;
  thread_local ArrayList<T> list;
  const Napi::Array arrays = v.As<Napi::Array>();
  const uint32_t count = arrays.Length();
  data.resize(count);
  lengths.resize(count);
  for (uint32_t k = 0; k < count; k++) {
    const Napi::Value entry = arrays.Get(k);
    data[k] = ArrayData<T>(entry);
    lengths[k] = static_cast<int>(entry.As<Napi::TypedArray>().ElementLength());
  }
  list = {static_cast<int>(count), data.data(), lengths.data()};
  return &list;
}

template <>
struct ArgOf<const Float64ArrayList*> {
  static constexpr ArgKind kKind = ArgKind::kFloat64ArrayList;
  static const Float64ArrayList* FromJs(const Napi::Value& v) { return ArrayListFromJs<double>(v); }
  static const Float64ArrayList* FromPlan(const PlanArg& a) { return a.list; }
};

template <>
struct ArgOf<const Float32ArrayList*> {
  static constexpr ArgKind kKind = ArgKind::kFloat32ArrayList;
  static const Float32ArrayList* FromJs(const Napi::Value& v) { return ArrayListFromJs<float>(v); }
  static const Float32ArrayList* FromPlan(const PlanArg& a) { return a.list32; }
};

// One instantiation of a kernel as a plan calls it: the trampoline, and the kinds of
// its arguments, against which the plan matches a recorded call's.
struct PlanEntry {
  void (*run)(const PlanArg* args);
  const ArgKind* kinds;
};

// A kernel as the addon and plans see it. `plans` holds its one instantiation, or a
// kernel over tensors of either element type's two, float64 first; an absent one has
// a null `run`.
struct KernelEntry {
  const char* name;
  Napi::Value (*js)(const Napi::CallbackInfo& info);
  size_t arity;
  PlanEntry plans[2];
};

// How a kernel is exported: which argument its JavaScript entry returns (the array
// it wrote, as BLAS routines return C; -1 for undefined), and whether it calls
// OpenBLAS, so that its entry holds the fork guard (fork_guard.h). A plan holds the
// guard itself, around a whole step, so the plain function never takes it.
template <typename Signature, Signature fn, int kResult, bool kCallsBlas>
struct KernelOf;

template <typename... A, void (*fn)(A...), int kResult, bool kCallsBlas>
struct KernelOf<void (*)(A...), fn, kResult, kCallsBlas> {
  static_assert(kResult < static_cast<int>(sizeof...(A)), "the returned argument must exist");
  static constexpr ArgKind kKinds[sizeof...(A)] = {ArgOf<A>::kKind...};

  template <size_t... I>
  static void CallFromJs(const Napi::CallbackInfo& info, std::index_sequence<I...>) {
    fn(ArgOf<A>::FromJs(info[I])...);
  }

  static Napi::Value Js(const Napi::CallbackInfo& info) {
    if constexpr (kCallsBlas) {
      BlasCallScope scope;
      CallFromJs(info, std::index_sequence_for<A...>{});
    } else {
      CallFromJs(info, std::index_sequence_for<A...>{});
    }
    if constexpr (kResult < 0) {
      return info.Env().Undefined();
    } else {
      return info[kResult];
    }
  }

  template <size_t... I>
  static void CallFromPlan(const PlanArg* args, std::index_sequence<I...>) {
    fn(ArgOf<A>::FromPlan(args[I])...);
  }

  static void Run(const PlanArg* args) { CallFromPlan(args, std::index_sequence_for<A...>{}); }

  static constexpr PlanEntry Plan() { return {&Run, kKinds}; }

  static constexpr KernelEntry Entry(const char* name) {
    return {name, &Js, sizeof...(A), {Plan(), {nullptr, nullptr}}};
  }
};

// A kernel over tensors of either element type: its float64 and float32
// instantiations, whose signatures differ only in the tensors' type (a loss's value,
// metric sums and hyper-parameters stay double in both). From JavaScript, the first
// tensor argument's type picks the instantiation: validation in TypeScript has made
// sure a call's tensors share it. Plans replay the float64 one.
template <typename Signature64, Signature64 fn64, typename Signature32, Signature32 fn32, int kResult>
struct EitherKernelOf;

template <typename... A64, void (*fn64)(A64...), typename... A32, void (*fn32)(A32...), int kResult>
struct EitherKernelOf<void (*)(A64...), fn64, void (*)(A32...), fn32, kResult> {
  static_assert(sizeof...(A64) == sizeof...(A32), "both instantiations take the same arguments");
  using Kernel64 = KernelOf<void (*)(A64...), fn64, kResult, false>;
  using Kernel32 = KernelOf<void (*)(A32...), fn32, kResult, false>;

  // The first argument whose type differs between the two: the first tensor.
  static constexpr size_t FirstTensor() {
    constexpr bool same[] = {std::is_same_v<A64, A32>...};
    for (size_t i = 0; i < sizeof...(A64); i++) {
      if (!same[i]) return i;
    }
    return sizeof...(A64);
  }
  static constexpr size_t kTensor = FirstTensor();
  static_assert(kTensor < sizeof...(A64), "the instantiations must differ in a tensor's type");

  static bool IsFloat32Call(const Napi::CallbackInfo& info) {
    const Napi::Value tensor = info[kTensor];
    if (!tensor.IsArray()) return IsFloat32(tensor);
    // A list of tensors (clipGradNorm's gradients): its first one's type; an empty
    // list has nothing to compute in either.
    const Napi::Array list = tensor.As<Napi::Array>();
    return list.Length() > 0 && IsFloat32(list.Get(0u));
  }

  static Napi::Value Js(const Napi::CallbackInfo& info) {
    return IsFloat32Call(info) ? Kernel32::Js(info) : Kernel64::Js(info);
  }

  static constexpr KernelEntry Entry(const char* name) {
    return {name, &Js, sizeof...(A64), {Kernel64::Plan(), Kernel32::Plan()}};
  }
};

// registry.cc's table rows: the exported name, the plain function, the argument its
// JavaScript entry returns. BLASPROP_EITHER_KERNEL names a kernel's overloads for
// double and float tensors and their signature as a template over the element type.
#define BLASPROP_KERNEL(name, fn, result) KernelOf<decltype(&fn), &fn, result, false>::Entry(name)
#define BLASPROP_EITHER_KERNEL(name, fn, Signature, result) \
  EitherKernelOf<Signature<double>, &fn, Signature<float>, &fn, result>::Entry(name)
#define BLASPROP_BLAS_KERNEL(name, fn, result) KernelOf<decltype(&fn), &fn, result, true>::Entry(name)

// Every kernel, in the order of the table; and one by name (nullptr if unknown).
const KernelEntry* KernelsBegin();
const KernelEntry* KernelsEnd();
const KernelEntry* FindKernel(const std::string& name);

}  // namespace blasprop
