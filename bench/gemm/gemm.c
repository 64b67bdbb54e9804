/* One cblas_dgemm call timed from C: the baseline the Node peer is held against.
 * Same arguments, same operand contents, same library and thread count as
 * node-peer.js, so the only difference left is the cost of calling from JavaScript.
 *
 *   gemm --m M --n N --k K --transa N|T --transb N|T [--threads T] [timing options]
 */
#include "bench_harness.h"

typedef struct {
  CBLAS_TRANSPOSE ta, tb;
  int m, n, k, lda, ldb, ldc;
  double *a, *b, *c;
} gemm_call;

static void call_dgemm(void *state) {
  gemm_call *g = state;
  cblas_dgemm(CblasRowMajor, g->ta, g->tb, g->m, g->n, g->k, 1.0, g->a, g->lda, g->b, g->ldb, 0.0, g->c, g->ldc);
}

/* The operand pattern shared with node-peer.js: exact in binary, so both fill alike. */
static void fill(double *x, long count, long salt) {
  for (long i = 0; i < count; i++) x[i] = (double)((i * 7919 + salt) % 1000) / 1000.0 - 0.5;
}

int main(int argc, char **argv) {
  bench_options o = bench_parse_options(argc, argv);
  gemm_call g;
  g.m = atoi(bench_arg(argc, argv, "m", "32"));
  g.n = atoi(bench_arg(argc, argv, "n", "32"));
  g.k = atoi(bench_arg(argc, argv, "k", "32"));
  int trans_a = bench_arg(argc, argv, "transa", "N")[0] == 'T';
  int trans_b = bench_arg(argc, argv, "transb", "N")[0] == 'T';
  g.ta = trans_a ? CblasTrans : CblasNoTrans;
  g.tb = trans_b ? CblasTrans : CblasNoTrans;
  /* Row-major storage: op(A) is m×k, so A is stored m×k or k×m; likewise B. */
  g.lda = trans_a ? g.m : g.k;
  g.ldb = trans_b ? g.k : g.n;
  g.ldc = g.n;
  long a_len = (long)g.m * g.k, b_len = (long)g.k * g.n, c_len = (long)g.m * g.n;
  g.a = malloc(sizeof(double) * a_len);
  g.b = malloc(sizeof(double) * b_len);
  g.c = malloc(sizeof(double) * c_len);
  fill(g.a, a_len, 1);
  fill(g.b, b_len, 2);
  openblas_set_num_threads(o.threads);

  call_dgemm(&g);
  double checksum = 0;
  for (long i = 0; i < c_len; i++) checksum += g.c[i];

  double *block_us = malloc(sizeof(double) * o.blocks);
  long iters = bench_time_blocks(call_dgemm, &g, &o, block_us);
  bench_begin_result(block_us, o.blocks, iters);
  printf(",\"checksum\":%.17g", checksum);
  bench_end_result();
  return 0;
}
