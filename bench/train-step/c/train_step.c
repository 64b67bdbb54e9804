/* The training step as a plain C loop over OpenBLAS with every buffer allocated up
 * front: the floor for blasprop's design (the same GEMMs, the same library, nothing
 * between the calls but the element-wise passes they need). The step itself is in
 * bench/lib/c/two_layer_step.h, shared with the fit benchmark's epoch loop.
 *
 *   train_step --data FILE [--check-steps K] [--threads T] [--fused 1] [--phases 1]
 *              [timing options]
 *
 * --fused 1 runs a variant that goes past that design: the SGD update is folded into
 * the weight-gradient GEMMs (alpha = -lr, beta = 1 onto the weights, so no gradient
 * buffers and no update pass) and the ReLU gate shares a pass with the bias gradient.
 * It shows what a layer API that keeps gradients separate leaves on the table.
 *
 * Built twice from this source (see two_layer_step.h): in double, and with
 * -DBLASPROP_FLOAT32 in float, on the file's data rounded to float once at load.
 *
 * --phases 1 also reports the share of the step each phase takes (the timer calls
 * cost a little themselves, so plain runs leave them out).
 */
#include <math.h>

#include "bench_harness.h"
#include "two_layer_step.h"

/* Layout in bench/train-step/data.js; this reads it on a little-endian machine. The
 * step uses the summed loss, as the reference post does. */
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
  long N = n->N, D = n->D, O = n->O;
  n->X = net_read_reals(f, N * D);
  n->Y = net_read_reals(f, N * O);
  net_read_parameters(n, f);
  fclose(f);
  n->mean = 0;
  net_alloc(n, n->N);
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
  printf("],\"precision\":\"%s\"", REAL_PRECISION);
  if (n.timed) net_print_phases(&n);
  bench_end_result();
  return 0;
}
