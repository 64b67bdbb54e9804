/* The training step as a plain C loop over OpenBLAS with every buffer allocated up
 * front: the floor for blasprop's design (the same GEMMs, the same library, nothing
 * between the calls but the element-wise passes they need).
 *
 *   train_step --data FILE [--check-steps K] [--threads T] [--fused 1] [--phases 1]
 *              [timing options]
 *
 * --fused 1 runs a variant that goes past that design: the SGD update is folded into
 * the weight-gradient GEMMs (alpha = -lr, beta = 1 onto the weights, so no gradient
 * buffers and no update pass) and the ReLU gate shares a pass with the bias gradient.
 * It shows what a layer API that keeps gradients separate leaves on the table.
 *
 * --phases 1 also reports the share of the step each phase takes (the timer calls
 * cost a little themselves, so plain runs leave them out).
 */
#include <math.h>

#include "bench_harness.h"

enum { FWD_GEMM1, RELU, FWD_GEMM2, LOSS, DW2_GEMM, DR_GEMM, RELU_GRAD, DW1_GEMM, BIAS_GRADS, SGD, PHASE_COUNT };
static const char *const PHASE_NAMES[PHASE_COUNT] = {
    "X·W1 + b1",      "relu",          "r·W2 + b2",         "loss and dpred",     "dW2 = rᵀ·dpred",
    "dr = dpred·W2ᵀ", "dh = dr ⊙ (h > 0)", "dW1 = Xᵀ·dh", "db1, db2", "SGD update"};

typedef struct {
  int N, D, H, O;
  double lr;
  double *X, *Y, *W1, *b1, *W2, *b2; /* problem and parameters */
  double *h, *r, *pred, *dpred, *dh; /* activations and their gradients */
  double *dW1, *db1, *dW2, *db2;     /* parameter gradients */
  double loss;
  int timed; /* --phases: accumulate seconds per phase into phase_s */
  double phase_s[PHASE_COUNT];
  double last_ms;
} net;

static double *read_array(FILE *f, long count) {
  double *x = malloc(sizeof(double) * count);
  if (x == NULL || fread(x, sizeof(double), count, f) != (size_t)count) {
    fprintf(stderr, "short read from the problem file\n");
    exit(1);
  }
  return x;
}

/* Layout in bench/train-step/data.js; this reads it on a little-endian machine. */
static void load(net *n, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    perror(path);
    exit(1);
  }
  char magic[8];
  unsigned int dims[4];
  if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "BPTSTEP1", 8) != 0 || fread(dims, 4, 4, f) != 4 ||
      fread(&n->lr, 8, 1, f) != 1) {
    fprintf(stderr, "%s is not a train-step problem file\n", path);
    exit(1);
  }
  n->N = dims[0], n->D = dims[1], n->H = dims[2], n->O = dims[3];
  long N = n->N, D = n->D, H = n->H, O = n->O;
  n->X = read_array(f, N * D);
  n->Y = read_array(f, N * O);
  n->W1 = read_array(f, D * H);
  n->b1 = read_array(f, H);
  n->W2 = read_array(f, H * O);
  n->b2 = read_array(f, O);
  fclose(f);
  n->h = calloc(N * H, sizeof(double));
  n->r = calloc(N * H, sizeof(double));
  n->pred = calloc(N * O, sizeof(double));
  n->dpred = calloc(N * O, sizeof(double));
  n->dh = calloc(N * H, sizeof(double));
  n->dW1 = calloc(D * H, sizeof(double));
  n->db1 = calloc(H, sizeof(double));
  n->dW2 = calloc(H * O, sizeof(double));
  n->db2 = calloc(O, sizeof(double));
}

/* Charges the time since the previous mark to `phase` (only with --phases). */
static void mark(net *n, int phase) {
  if (!n->timed) return;
  double now = bench_now_ms();
  n->phase_s[phase] += (now - n->last_ms) / 1e3;
  n->last_ms = now;
}

/* out[i,:] = bias for every row, so that a GEMM with beta = 1 adds the product onto it. */
static void broadcast_rows(double *out, const double *bias, int rows, int cols) {
  for (int i = 0; i < rows; i++) memcpy(out + (long)i * cols, bias, sizeof(double) * cols);
}

static void column_sums(double *out, const double *x, int rows, int cols) {
  memset(out, 0, sizeof(double) * cols);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) out[j] += x[(long)i * cols + j];
}

/* h = X·W1 + b1, r = relu(h), pred = r·W2 + b2, then the loss and dpred = 2(pred − Y)
 * in one pass. Shared by both variants. */
static void forward(net *n) {
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const long NH = (long)N * H, NO = (long)N * O;
  broadcast_rows(n->h, n->b1, N, H);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, H, D, 1.0, n->X, D, n->W1, H, 1.0, n->h, H);
  mark(n, FWD_GEMM1);
  for (long i = 0; i < NH; i++) n->r[i] = n->h[i] > 0 ? n->h[i] : 0;
  mark(n, RELU);
  broadcast_rows(n->pred, n->b2, N, O);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, O, H, 1.0, n->r, H, n->W2, O, 1.0, n->pred, O);
  mark(n, FWD_GEMM2);
  double loss = 0;
  for (long i = 0; i < NO; i++) {
    double diff = n->pred[i] - n->Y[i];
    loss += diff * diff;
    n->dpred[i] = 2 * diff;
  }
  n->loss = loss;
  mark(n, LOSS);
}

/* The chain rule as written, gradients into their own buffers, then the SGD update. */
static void train_step(void *state) {
  net *n = state;
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const long NH = (long)N * H;
  if (n->timed) n->last_ms = bench_now_ms();
  forward(n);
  column_sums(n->db2, n->dpred, N, O);
  mark(n, BIAS_GRADS);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, N, 1.0, n->r, H, n->dpred, O, 0.0, n->dW2, O);
  mark(n, DW2_GEMM);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, O, 1.0, n->dpred, O, n->W2, O, 0.0, n->dh, H);
  mark(n, DR_GEMM);
  for (long i = 0; i < NH; i++) n->dh[i] = n->h[i] > 0 ? n->dh[i] : 0; /* dh = dr ⊙ (h > 0) */
  mark(n, RELU_GRAD);
  column_sums(n->db1, n->dh, N, H);
  mark(n, BIAS_GRADS);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, 1.0, n->X, D, n->dh, H, 0.0, n->dW1, H);
  mark(n, DW1_GEMM);
  cblas_daxpy(D * H, -n->lr, n->dW1, 1, n->W1, 1);
  cblas_daxpy(H, -n->lr, n->db1, 1, n->b1, 1);
  cblas_daxpy(H * O, -n->lr, n->dW2, 1, n->W2, 1);
  cblas_daxpy(O, -n->lr, n->db2, 1, n->b2, 1);
  mark(n, SGD);
}

/* The same step with the update folded into the GEMMs: W −= lr·(aᵀ·b) is one dgemm
 * with alpha = −lr and beta = 1. W2 is read by dr = dpred·W2ᵀ, so that comes first. */
static void train_step_fused(void *state) {
  net *n = state;
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const double lr = n->lr;
  if (n->timed) n->last_ms = bench_now_ms();
  forward(n);
  column_sums(n->db2, n->dpred, N, O);
  for (int j = 0; j < O; j++) n->b2[j] -= lr * n->db2[j];
  mark(n, BIAS_GRADS);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, O, 1.0, n->dpred, O, n->W2, O, 0.0, n->dh, H);
  mark(n, DR_GEMM);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, N, -lr, n->r, H, n->dpred, O, 1.0, n->W2, O);
  mark(n, DW2_GEMM);
  /* Gate and column-sum in one pass over dh. */
  memset(n->db1, 0, sizeof(double) * H);
  for (int i = 0; i < N; i++) {
    double *dh = n->dh + (long)i * H;
    const double *h = n->h + (long)i * H;
    for (int j = 0; j < H; j++) {
      dh[j] = h[j] > 0 ? dh[j] : 0;
      n->db1[j] += dh[j];
    }
  }
  for (int j = 0; j < H; j++) n->b1[j] -= lr * n->db1[j];
  mark(n, RELU_GRAD);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, -lr, n->X, D, n->dh, H, 1.0, n->W1, H);
  mark(n, DW1_GEMM);
}

int main(int argc, char **argv) {
  bench_options o = bench_parse_options(argc, argv);
  const char *path = bench_arg(argc, argv, "data", NULL);
  int check_steps = atoi(bench_arg(argc, argv, "check-steps", "3"));
  if (path == NULL) {
    fprintf(stderr, "usage: train_step --data FILE [--check-steps K] [--threads T] [--fused 1] [--phases 1]\n");
    return 2;
  }
  net n;
  memset(&n, 0, sizeof n);
  load(&n, path);
  n.timed = atoi(bench_arg(argc, argv, "phases", "0"));
  bench_step_fn step = atoi(bench_arg(argc, argv, "fused", "0")) ? train_step_fused : train_step;
  openblas_set_num_threads(o.threads);

  double *losses = malloc(sizeof(double) * (check_steps > 0 ? check_steps : 1));
  for (int s = 0; s < check_steps; s++) {
    step(&n);
    losses[s] = n.loss;
  }
  double *block_us = malloc(sizeof(double) * o.blocks);
  long iters = bench_time_blocks(step, &n, &o, block_us);
  if (!isfinite(n.loss)) {
    fprintf(stderr, "the loss diverged while timing\n");
    return 1;
  }
  bench_begin_result(block_us, o.blocks, iters);
  printf(",\"checkLosses\":[");
  for (int s = 0; s < check_steps; s++) printf("%s%.17g", s ? "," : "", losses[s]);
  printf("]");
  if (n.timed) {
    double total = 0;
    for (int p = 0; p < PHASE_COUNT; p++) total += n.phase_s[p];
    printf(",\"phases\":{");
    for (int p = 0; p < PHASE_COUNT; p++) printf("%s\"%s\":%.4f", p ? "," : "", PHASE_NAMES[p], n.phase_s[p] / total);
    printf("}");
  }
  bench_end_result();
  return 0;
}
