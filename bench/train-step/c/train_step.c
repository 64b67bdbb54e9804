/* The training step as a plain C loop over OpenBLAS with every buffer allocated up
 * front: the floor for blasprop's design (the same GEMMs, the same library, nothing
 * between the calls but the element-wise passes they need).
 *
 *   train_step --data FILE [--check-steps K] [--threads T] [timing options]
 */
#include <math.h>

#include "bench_harness.h"

typedef struct {
  int N, D, H, O;
  double lr;
  double *X, *Y, *W1, *b1, *W2, *b2;          /* problem and parameters */
  double *h, *pred, *dpred, *dr;              /* activations and their gradients */
  double *dW1, *db1, *dW2, *db2;              /* parameter gradients */
  double loss;
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
  n->pred = calloc(N * O, sizeof(double));
  n->dpred = calloc(N * O, sizeof(double));
  n->dr = calloc(N * H, sizeof(double));
  n->dW1 = calloc(D * H, sizeof(double));
  n->db1 = calloc(H, sizeof(double));
  n->dW2 = calloc(H * O, sizeof(double));
  n->db2 = calloc(O, sizeof(double));
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

static void train_step(void *state) {
  net *n = state;
  const int N = n->N, D = n->D, H = n->H, O = n->O;
  const long NH = (long)N * H, NO = (long)N * O;

  /* Forward: h = X·W1 + b1; the ReLU is applied to a copy-free view later (h stays
   * pre-activation, r is h clamped, computed in place into dr's buffer). */
  broadcast_rows(n->h, n->b1, N, H);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, H, D, 1.0, n->X, D, n->W1, H, 1.0, n->h, H);
  double *r = n->dr; /* r is needed until dW2 is formed; dr is written only after that */
  for (long i = 0; i < NH; i++) r[i] = n->h[i] > 0 ? n->h[i] : 0;
  broadcast_rows(n->pred, n->b2, N, O);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, N, O, H, 1.0, r, H, n->W2, O, 1.0, n->pred, O);

  /* Loss and its gradient in one pass. */
  double loss = 0;
  for (long i = 0; i < NO; i++) {
    double diff = n->pred[i] - n->Y[i];
    loss += diff * diff;
    n->dpred[i] = 2 * diff;
  }
  n->loss = loss;

  /* Backward. */
  column_sums(n->db2, n->dpred, N, O);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, O, N, 1.0, r, H, n->dpred, O, 0.0, n->dW2, O);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, N, H, O, 1.0, n->dpred, O, n->W2, O, 0.0, n->dr, H);
  for (long i = 0; i < NH; i++)
    if (n->h[i] <= 0) n->dr[i] = 0; /* dh = dr ⊙ (h > 0), in place */
  column_sums(n->db1, n->dr, N, H);
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, N, 1.0, n->X, D, n->dr, H, 0.0, n->dW1, H);

  /* SGD. */
  cblas_daxpy(D * H, -n->lr, n->dW1, 1, n->W1, 1);
  cblas_daxpy(H, -n->lr, n->db1, 1, n->b1, 1);
  cblas_daxpy(H * O, -n->lr, n->dW2, 1, n->W2, 1);
  cblas_daxpy(O, -n->lr, n->db2, 1, n->b2, 1);
}

int main(int argc, char **argv) {
  bench_options o = bench_parse_options(argc, argv);
  const char *path = bench_arg(argc, argv, "data", NULL);
  int check_steps = atoi(bench_arg(argc, argv, "check-steps", "3"));
  if (path == NULL) {
    fprintf(stderr, "usage: train_step --data FILE [--check-steps K] [--threads T]\n");
    return 2;
  }
  net n;
  load(&n, path);
  openblas_set_num_threads(o.threads);

  double *losses = malloc(sizeof(double) * (check_steps > 0 ? check_steps : 1));
  for (int s = 0; s < check_steps; s++) {
    train_step(&n);
    losses[s] = n.loss;
  }
  double *block_us = malloc(sizeof(double) * o.blocks);
  long iters = bench_time_blocks(train_step, &n, &o, block_us);
  if (!isfinite(n.loss)) {
    fprintf(stderr, "the loss diverged while timing\n");
    return 1;
  }
  bench_begin_result(block_us, o.blocks, iters);
  printf(",\"checkLosses\":[");
  for (int s = 0; s < check_steps; s++) printf("%s%.17g", s ? "," : "", losses[s]);
  printf("]");
  bench_end_result();
  return 0;
}
