/* One SGD step of the two-layer regression network as plain C over OpenBLAS, every
 * buffer allocated up front: h = X·W1 + b1, r = relu(h), pred = r·W2 + b2, the
 * squared error and its gradient in one pass, the chain rule, the update. Shared by
 * the train-step peer (one full batch, the step timed alone) and the fit peer (an
 * epoch of gathered batches), so that both floors run the same arithmetic.
 *
 * The batch may have fewer rows than the buffers were sized for (the short last
 * batch of an epoch): every product is called with the net's current N.
 *
 * One source for both element types: `real` is double, or float when compiled with
 * -DBLASPROP_FLOAT32 (the float32 floor), and GEMM / AXPY are the matching cblas_d* or
 * cblas_s* routines. The loss is accumulated in double in both, each difference taken
 * in double, as blasprop's MSELoss does for float32 models. */
#ifndef BLASPROP_TWO_LAYER_STEP_H
#define BLASPROP_TWO_LAYER_STEP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "bench_harness.h"

#ifdef BLASPROP_FLOAT32
typedef float real;
#define GEMM cblas_sgemm
#define AXPY cblas_saxpy
#define REAL_PRECISION "f32"
#else
typedef double real;
#define GEMM cblas_dgemm
#define AXPY cblas_daxpy
#define REAL_PRECISION "f64"
#endif

enum { FWD_GEMM1, RELU, FWD_GEMM2, LOSS, DW2_GEMM, DR_GEMM, RELU_GRAD, DW1_GEMM, BIAS_GRADS, SGD, PHASE_COUNT };
static const char *const PHASE_NAMES[PHASE_COUNT] = {
    "X·W1 + b1",      "relu",          "r·W2 + b2",         "loss and dpred",     "dW2 = rᵀ·dpred",
    "dr = dpred·W2ᵀ", "dh = dr ⊙ (h > 0)", "dW1 = Xᵀ·dh", "db1, db2", "SGD update"};

typedef struct {
  int N, D, H, O; /* N: rows of the current batch, at most the rows the buffers hold */
  double lr;
  int mean; /* loss reduction: 0 sums the squared errors, 1 divides them by N·O */
  const real *X, *Y;               /* the batch: N×D inputs and N×O targets */
  real *W1, *b1, *W2, *b2;         /* parameters */
  real *h, *r, *pred, *dpred, *dh; /* activations and their gradients */
  real *dW1, *db1, *dW2, *db2;     /* parameter gradients */
  double loss;
  int timed; /* --phases: accumulate seconds per phase into phase_s */
  double phase_s[PHASE_COUNT];
  double last_ms;
} net;

static real *net_calloc(long count) {
  real *x = calloc(count > 0 ? count : 1, sizeof(real));
  if (x == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  return x;
}

/* `count` values from a problem file, which holds doubles, as `real`: the float32
 * build rounds each to the nearest float once, here, as blasprop's float32 peers
 * round the same file's arrays (Float32Array.from) before they train. */
static real *net_read_reals(FILE *f, long count) {
  double *values = bench_read_array(f, sizeof(double), count);
#ifdef BLASPROP_FLOAT32
  real *rounded = net_calloc(count);
  for (long i = 0; i < count; i++) rounded[i] = (real)values[i];
  free(values);
  return rounded;
#else
  return values;
#endif
}

/* The parameters W1, b1, W2, b2, in that order, as the problem files hold them; D, H
 * and O must be set. */
static void net_read_parameters(net *n, FILE *f) {
  const long D = n->D, H = n->H, O = n->O;
  n->W1 = net_read_reals(f, D * H);
  n->b1 = net_read_reals(f, H);
  n->W2 = net_read_reals(f, H * O);
  n->b2 = net_read_reals(f, O);
}

/* Activation buffers for batches of up to `rows` rows, and the gradient buffers.
 * D, H and O must be set. */
static void net_alloc(net *n, int rows) {
  long N = rows, D = n->D, H = n->H, O = n->O;
  n->h = net_calloc(N * H);
  n->r = net_calloc(N * H);
  n->pred = net_calloc(N * O);
  n->dpred = net_calloc(N * O);
  n->dh = net_calloc(N * H);
  n->dW1 = net_calloc(D * H);
  n->db1 = net_calloc(H);
  n->dW2 = net_calloc(H * O);
  n->db2 = net_calloc(O);
}

/* Charges the time since the previous mark to `phase` (only with --phases). */
static void mark(net *n, int phase) {
  if (!n->timed) return;
  double now = bench_now_ms();
  n->phase_s[phase] += (now - n->last_ms) / 1e3;
  n->last_ms = now;
}

/* out[i,:] = bias for every row, so that a GEMM with beta = 1 adds the product onto it. */
static void broadcast_rows(real *out, const real *bias, int rows, int cols) {
  for (int i = 0; i < rows; i++) memcpy(out + (long)i * cols, bias, sizeof(real) * cols);
}

static void column_sums(real *out, const real *x, int rows, int cols) {
  memset(out, 0, sizeof(real) * cols);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) out[j] += x[(long)i * cols + j];
}

/* h = X·W1 + b1, r = relu(h), pred = r·W2 + b2, then the loss and its gradient
 * dpred = 2·scale·(pred − Y) in one pass (scale 1 for the sum, 1/(N·O) for the
 * mean, as blasprop's MSELoss and PyTorch's compute them). Shared by both variants. */
static void forward(net *n) {
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const long NH = (long)N * H, NO = (long)N * O;
  broadcast_rows(n->h, n->b1, N, H);
  GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, H, D, 1.0, n->X, D, n->W1, H, 1.0, n->h, H);
  mark(n, FWD_GEMM1);
  for (long i = 0; i < NH; i++) n->r[i] = n->h[i] > 0 ? n->h[i] : 0;
  mark(n, RELU);
  broadcast_rows(n->pred, n->b2, N, O);
  GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, O, H, 1.0, n->r, H, n->W2, O, 1.0, n->pred, O);
  mark(n, FWD_GEMM2);
  const double scale = n->mean ? 1.0 / (double)NO : 1.0;
  const double grad_scale = 2 * scale;
  double loss = 0;
  for (long i = 0; i < NO; i++) {
    const double diff = (double)n->pred[i] - n->Y[i];
    loss += diff * diff;
    n->dpred[i] = (real)(grad_scale * diff);
  }
  n->loss = loss * scale;
  mark(n, LOSS);
}

/* The chain rule as written, gradients into their own buffers, then the SGD update. */
static void train_step(void *state) {
  net *n = state;
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const long NH = (long)N * H;
  const real lr = (real)n->lr;
  if (n->timed) n->last_ms = bench_now_ms();
  forward(n);
  column_sums(n->db2, n->dpred, N, O);
  mark(n, BIAS_GRADS);
  GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, N, 1.0, n->r, H, n->dpred, O, 0.0, n->dW2, O);
  mark(n, DW2_GEMM);
  GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, O, 1.0, n->dpred, O, n->W2, O, 0.0, n->dh, H);
  mark(n, DR_GEMM);
  for (long i = 0; i < NH; i++) n->dh[i] = n->h[i] > 0 ? n->dh[i] : 0; /* dh = dr ⊙ (h > 0) */
  mark(n, RELU_GRAD);
  column_sums(n->db1, n->dh, N, H);
  mark(n, BIAS_GRADS);
  GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, 1.0, n->X, D, n->dh, H, 0.0, n->dW1, H);
  mark(n, DW1_GEMM);
  AXPY(D * H, -lr, n->dW1, 1, n->W1, 1);
  AXPY(H, -lr, n->db1, 1, n->b1, 1);
  AXPY(H * O, -lr, n->dW2, 1, n->W2, 1);
  AXPY(O, -lr, n->db2, 1, n->b2, 1);
  mark(n, SGD);
}

/* The same step with the update folded into the GEMMs: W −= lr·(aᵀ·b) is one GEMM
 * with alpha = −lr and beta = 1. W2 is read by dr = dpred·W2ᵀ, so that comes first. */
static void train_step_fused(void *state) {
  net *n = state;
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const real lr = (real)n->lr;
  if (n->timed) n->last_ms = bench_now_ms();
  forward(n);
  column_sums(n->db2, n->dpred, N, O);
  for (int j = 0; j < O; j++) n->b2[j] -= lr * n->db2[j];
  mark(n, BIAS_GRADS);
  GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, O, 1.0, n->dpred, O, n->W2, O, 0.0, n->dh, H);
  mark(n, DR_GEMM);
  GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, N, -lr, n->r, H, n->dpred, O, 1.0, n->W2, O);
  mark(n, DW2_GEMM);
  /* Gate and column-sum in one pass over dh. */
  memset(n->db1, 0, sizeof(real) * H);
  for (int i = 0; i < N; i++) {
    real *dh = n->dh + (long)i * H;
    const real *h = n->h + (long)i * H;
    for (int j = 0; j < H; j++) {
      dh[j] = h[j] > 0 ? dh[j] : 0;
      n->db1[j] += dh[j];
    }
  }
  for (int j = 0; j < H; j++) n->b1[j] -= lr * n->db1[j];
  mark(n, RELU_GRAD);
  GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, -lr, n->X, D, n->dh, H, 1.0, n->W1, H);
  mark(n, DW1_GEMM);
}

/* The --phases report: each phase's share of the time, as `,"phases":{…}`. */
static inline void net_print_phases(const net *n) {
  double total = 0;
  for (int p = 0; p < PHASE_COUNT; p++) total += n->phase_s[p];
  printf(",\"phases\":{");
  for (int p = 0; p < PHASE_COUNT; p++) printf("%s\"%s\":%.4f", p ? "," : "", PHASE_NAMES[p], n->phase_s[p] / total);
  printf("}");
}

#endif
