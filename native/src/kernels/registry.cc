// The kernels the addon exports and plans replay, by name. A kernel's name here is
// the name of its TypeScript definition (src/kernels/, src/blas/routines.ts), whose
// checks every call and every recording passes first.
#include <string>

#include "../blas_routines.h"
#include "copy.h"
#include "kernel.h"
#include "loss.h"
#include "order.h"
#include "relu.h"

namespace blasprop {

namespace {
// The returned argument is the array written, as the TypeScript definitions promise.
constexpr KernelEntry kKernels[] = {
    BLASPROP_BLAS_KERNEL("dgemm", blas::Dgemm, 11),
    BLASPROP_BLAS_KERNEL("dgemv", blas::Dgemv, 9),
    BLASPROP_BLAS_KERNEL("daxpy", blas::Daxpy, 4),
    BLASPROP_BLAS_KERNEL("dscal", blas::Dscal, 2),
    BLASPROP_KERNEL("reluForward", kernels::ReluForward, 2),
    BLASPROP_KERNEL("reluBackward", kernels::ReluBackward, 3),
    BLASPROP_KERNEL("gatherRows", kernels::GatherRows, 5),
    BLASPROP_KERNEL("repeatRow", kernels::RepeatRow, 3),
    BLASPROP_KERNEL("fill", kernels::Fill, 2),
    BLASPROP_KERNEL("epochOrder", kernels::EpochOrder, 3),
    BLASPROP_KERNEL("mseLoss", kernels::MseLoss, -1),
    BLASPROP_KERNEL("maeSums", kernels::MaeSums, -1),
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
