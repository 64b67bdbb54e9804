// The kernels the addon exports and plans replay, by name. A kernel's name here is
// the name of its TypeScript definition (src/kernels/, src/blas/routines.ts), whose
// checks every call and every recording passes first.
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
// The returned argument is the array written, as the TypeScript definitions promise
// (-1: undefined).
constexpr KernelEntry kKernels[] = {
    BLASPROP_BLAS_KERNEL("dgemm", blas::Dgemm, 11),
    BLASPROP_BLAS_KERNEL("dgemv", blas::Dgemv, 9),
    BLASPROP_BLAS_KERNEL("daxpy", blas::Daxpy, 4),
    BLASPROP_BLAS_KERNEL("dscal", blas::Dscal, 2),
    BLASPROP_KERNEL("reluForward", kernels::ReluForward, 2),
    BLASPROP_KERNEL("reluBackward", kernels::ReluBackward, 3),
    BLASPROP_KERNEL("tanhForward", kernels::TanhForward, 2),
    BLASPROP_KERNEL("tanhBackward", kernels::TanhBackward, 3),
    BLASPROP_KERNEL("sigmoidForward", kernels::SigmoidForward, 2),
    BLASPROP_KERNEL("sigmoidBackward", kernels::SigmoidBackward, 3),
    BLASPROP_KERNEL("leakyReluForward", kernels::LeakyReluForward, 3),
    BLASPROP_KERNEL("leakyReluBackward", kernels::LeakyReluBackward, 4),
    BLASPROP_KERNEL("geluForward", kernels::GeluForward, 3),
    BLASPROP_KERNEL("geluBackward", kernels::GeluBackward, 5),
    BLASPROP_KERNEL("dropoutForward", kernels::DropoutForward, 4),
    BLASPROP_KERNEL("dropoutBackward", kernels::DropoutBackward, 3),
    BLASPROP_KERNEL("mseLoss", kernels::MseLoss, 5),
    BLASPROP_KERNEL("l1Loss", kernels::L1Loss, 5),
    BLASPROP_KERNEL("huberLoss", kernels::HuberLoss, 6),
    BLASPROP_KERNEL("bceWithLogitsLoss", kernels::BceWithLogitsLoss, 7),
    BLASPROP_KERNEL("crossEntropyLoss", kernels::CrossEntropyLoss, 8),
    BLASPROP_KERNEL("softmaxRows", kernels::SoftmaxRows, 3),
    BLASPROP_KERNEL("argmaxRows", kernels::ArgmaxRows, 3),
    BLASPROP_KERNEL("positiveIndicator", kernels::PositiveIndicator, 2),
    BLASPROP_KERNEL("sgdBegin", kernels::SgdBegin, -1),
    BLASPROP_KERNEL("sgdUpdate", kernels::SgdUpdate, -1),
    BLASPROP_KERNEL("adamBegin", kernels::AdamBegin, -1),
    BLASPROP_KERNEL("adamUpdate", kernels::AdamUpdate, -1),
    BLASPROP_KERNEL("rmspropUpdate", kernels::RmspropUpdate, -1),
    BLASPROP_KERNEL("clipGradNorm", kernels::ClipGradNorm, 1),
    BLASPROP_KERNEL("maeSums", kernels::MaeSums, -1),
    BLASPROP_KERNEL("squaredErrorSums", kernels::SquaredErrorSums, -1),
    BLASPROP_KERNEL("accuracySums", kernels::AccuracySums, -1),
    BLASPROP_KERNEL("r2Sums", kernels::R2Sums, -1),
    BLASPROP_KERNEL("gatherRows", kernels::GatherRows, 5),
    BLASPROP_KERNEL("repeatRow", kernels::RepeatRow, 3),
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
