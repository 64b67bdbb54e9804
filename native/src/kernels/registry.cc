// The kernels the addon exports and plans replay, by name. A kernel's name here is
// the name of its TypeScript definition (src/kernels/, src/blas/routines.ts), whose
// checks every call and every recording passes first.
#include <cstdint>
#include <string>

#include "../blas_routines.h"
#include "activations.h"
#include "copy.h"
#include "dropout.h"
#include "gradient_norm.h"
#include "kernel.h"
#include "losses.h"
#include "metrics.h"
#include "optimizers.h"
#include "order.h"
#include "relu.h"

namespace blasprop {

namespace {
// The signatures of the kernels over tensors of element type T, by shape.
template <typename T>
using Map = void (*)(int, const T*, T*);
template <typename T>
using Map2 = void (*)(int, const T*, const T*, T*);
template <typename T>
using SlopeMap = void (*)(int, double, const T*, T*);
template <typename T>
using SlopeMap2 = void (*)(int, double, const T*, const T*, T*);
template <typename T>
using GeluForwardOf = void (*)(int, bool, const T*, T*, T*);
template <typename T>
using GeluBackwardOf = void (*)(int, bool, const T*, const T*, const T*, T*);
template <typename T>
using DropoutForwardOf = void (*)(int, double, uint32_t*, const T*, T*, T*);
template <typename T>
using PointwiseLoss = void (*)(int, bool, const T*, const T*, T*, double*);
template <typename T>
using HuberLossOf = void (*)(int, bool, double, const T*, const T*, T*, double*);
template <typename T>
using BceWithLogitsLossOf = void (*)(int, int, bool, const double*, const T*, const T*, T*, double*);
template <typename T>
using CrossEntropyLossOf = void (*)(int, int, bool, double, const double*, const T*, const T*, T*, double*);
template <typename T>
using RowsMap = void (*)(int, int, const T*, T*);
template <typename T>
using SgdUpdateOf = void (*)(int, const double*, T*, const T*, T*);
template <typename T>
using StatefulUpdate = void (*)(int, const double*, T*, const T*, T*, T*, T*);
template <typename T>
using GatherRowsOf = void (*)(int, int, const T*, const uint32_t*, int, T*);
template <typename T>
using ClipGradNormOf = void (*)(const ArrayList<T>*, double*);
template <typename T>
using PointwiseSums = void (*)(int, const T*, const T*, double*, double*);
template <typename T>
using AccuracySumsOf = void (*)(int, int, int, const T*, const T*, double*, double*);
template <typename T>
using R2SumsOf = void (*)(int, int, const T*, const T*, double*, double*);

// The returned argument is the array written, as the TypeScript definitions promise
// (-1: undefined).
constexpr KernelEntry kKernels[] = {
    BLASPROP_BLAS_KERNEL("sgemm", blas::Sgemm, 11),
    BLASPROP_BLAS_KERNEL("sgemv", blas::Sgemv, 9),
    BLASPROP_BLAS_KERNEL("saxpy", blas::Saxpy, 4),
    BLASPROP_BLAS_KERNEL("sscal", blas::Sscal, 2),
    BLASPROP_BLAS_KERNEL("dgemm", blas::Dgemm, 11),
    BLASPROP_BLAS_KERNEL("dgemv", blas::Dgemv, 9),
    BLASPROP_BLAS_KERNEL("daxpy", blas::Daxpy, 4),
    BLASPROP_BLAS_KERNEL("dscal", blas::Dscal, 2),
    BLASPROP_EITHER_KERNEL("reluForward", kernels::ReluForward, Map, 2),
    BLASPROP_EITHER_KERNEL("reluBackward", kernels::ReluBackward, Map2, 3),
    BLASPROP_EITHER_KERNEL("tanhForward", kernels::TanhForward, Map, 2),
    BLASPROP_EITHER_KERNEL("tanhBackward", kernels::TanhBackward, Map2, 3),
    BLASPROP_EITHER_KERNEL("sigmoidForward", kernels::SigmoidForward, Map, 2),
    BLASPROP_EITHER_KERNEL("sigmoidBackward", kernels::SigmoidBackward, Map2, 3),
    BLASPROP_EITHER_KERNEL("leakyReluForward", kernels::LeakyReluForward, SlopeMap, 3),
    BLASPROP_EITHER_KERNEL("leakyReluBackward", kernels::LeakyReluBackward, SlopeMap2, 4),
    BLASPROP_EITHER_KERNEL("geluForward", kernels::GeluForward, GeluForwardOf, 3),
    BLASPROP_EITHER_KERNEL("geluBackward", kernels::GeluBackward, GeluBackwardOf, 5),
    BLASPROP_EITHER_KERNEL("dropoutForward", kernels::DropoutForward, DropoutForwardOf, 4),
    BLASPROP_EITHER_KERNEL("dropoutBackward", kernels::DropoutBackward, Map2, 3),
    BLASPROP_EITHER_KERNEL("mseLoss", kernels::MseLoss, PointwiseLoss, 5),
    BLASPROP_EITHER_KERNEL("l1Loss", kernels::L1Loss, PointwiseLoss, 5),
    BLASPROP_EITHER_KERNEL("huberLoss", kernels::HuberLoss, HuberLossOf, 6),
    BLASPROP_EITHER_KERNEL("bceWithLogitsLoss", kernels::BceWithLogitsLoss, BceWithLogitsLossOf, 7),
    BLASPROP_EITHER_KERNEL("crossEntropyLoss", kernels::CrossEntropyLoss, CrossEntropyLossOf, 8),
    BLASPROP_EITHER_KERNEL("softmaxRows", kernels::SoftmaxRows, RowsMap, 3),
    BLASPROP_EITHER_KERNEL("argmaxRows", kernels::ArgmaxRows, RowsMap, 3),
    BLASPROP_EITHER_KERNEL("positiveIndicator", kernels::PositiveIndicator, Map, 2),
    BLASPROP_KERNEL("sgdBegin", kernels::SgdBegin, -1),
    BLASPROP_EITHER_KERNEL("sgdUpdate", kernels::SgdUpdate, SgdUpdateOf, -1),
    BLASPROP_KERNEL("adamBegin", kernels::AdamBegin, -1),
    BLASPROP_EITHER_KERNEL("adamUpdate", kernels::AdamUpdate, StatefulUpdate, -1),
    BLASPROP_EITHER_KERNEL("rmspropUpdate", kernels::RmspropUpdate, StatefulUpdate, -1),
    BLASPROP_EITHER_KERNEL("clipGradNorm", kernels::ClipGradNorm, ClipGradNormOf, 1),
    BLASPROP_EITHER_KERNEL("maeSums", kernels::MaeSums, PointwiseSums, -1),
    BLASPROP_EITHER_KERNEL("squaredErrorSums", kernels::SquaredErrorSums, PointwiseSums, -1),
    BLASPROP_EITHER_KERNEL("accuracySums", kernels::AccuracySums, AccuracySumsOf, -1),
    BLASPROP_EITHER_KERNEL("r2Sums", kernels::R2Sums, R2SumsOf, -1),
    BLASPROP_EITHER_KERNEL("gatherRows", kernels::GatherRows, GatherRowsOf, 5),
    BLASPROP_EITHER_KERNEL("repeatRow", kernels::RepeatRow, RowsMap, 3),
    BLASPROP_KERNEL("fill", kernels::Fill, 2),
    BLASPROP_KERNEL("epochOrder", kernels::EpochOrder, 3),
};
}  // namespace

const KernelEntry* KernelsBegin() { return std::begin(kKernels); }
const KernelEntry* KernelsEnd() { return std::end(kKernels); }

const KernelEntry* FindKernel(const std::string& name) {
  for (const KernelEntry& entry : kKernels) {
    if (name == entry.name) return &entry;
  }
  return nullptr;
}

}  // namespace blasprop
