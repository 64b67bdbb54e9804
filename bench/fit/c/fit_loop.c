/* Mini-batch training over whole epochs as a plain C loop over OpenBLAS: the floor
 * for blasprop's fit. Each epoch shuffles the row order, and each batch gathers its
 * rows into buffers allocated once and takes one step of
 * bench/lib/c/two_layer_step.h (forward, mean squared error, backward, SGD), the
 * step the train-step benchmark's C loop times alone.
 *
 *   fit_loop --data FILE [--fused 1] [--threads T] [timing options]
 *
 * The row order comes from the generator blasprop's fit uses (xoshiro128** seeded
 * through SplitMix32 from the seed and the epoch, then Fisher–Yates), written again
 * here so that the loop shuffles as it times, with the same work and the same order;
 * the check epochs compare that order with the problem file's.
 *
 * One timed call is one fit: the problem's epochsPerCall epochs. --fused 1 steps with
 * the SGD update folded into the weight-gradient GEMMs, as the train-step peer does.
 *
 * Built twice from this source (see two_layer_step.h): in double, and with
 * -DBLASPROP_FLOAT32 in float, on the file's data rounded to float once at load. */
#include <math.h>
#include <stdint.h>

#include "bench_harness.h"
#include "two_layer_step.h"

typedef struct {
  uint32_t rows, batch, epochs_per_call, check_epochs, seed;
  const real *X, *Y;     /* the whole data set */
  uint32_t *file_orders; /* check_epochs × rows, from the problem file */
  uint32_t *order;       /* this epoch's order */
  real *xb, *yb;         /* the gathered batch */
  net n;
  bench_step_fn step;
  uint32_t epoch; /* epochs run so far: the next epoch's number */
  double epoch_loss;
} fit;

/* ---- blasprop's Random (src/random/prng.ts), for the row order ---- */

typedef struct {
  uint32_t s0, s1, s2, s3;
} prng;

static uint32_t splitmix32(uint32_t *state) {
  uint32_t z = (*state += 0x9e3779b9u);
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

static prng prng_seeded(uint32_t seed) {
  prng r;
  r.s0 = splitmix32(&seed);
  r.s1 = splitmix32(&seed);
  r.s2 = splitmix32(&seed);
  r.s3 = splitmix32(&seed);
  return r;
}

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t prng_next(prng *r) {
  uint32_t result = rotl(r->s1 * 5, 7) * 9;
  uint32_t t = r->s1 << 9;
  r->s2 ^= r->s0;
  r->s3 ^= r->s1;
  r->s1 ^= r->s2;
  r->s0 ^= r->s3;
  r->s2 ^= t;
  r->s3 = rotl(r->s3, 11);
  return result;
}

/* Uniform in [0, 1) from 53 random bits: the high 27 bits drawn first. */
static double prng_uniform(prng *r) {
  uint32_t high = prng_next(r) >> 5;
  uint32_t low = prng_next(r) >> 6;
  return ((double)high * 67108864.0 + (double)low) / 9007199254740992.0;
}

/* Epoch e's order: a function of (seed, e) alone, as in blasprop's epochOrder. */
static void epoch_order(uint32_t *order, uint32_t rows, uint32_t seed, uint32_t epoch) {
  for (uint32_t i = 0; i < rows; i++) order[i] = i;
  prng r = prng_seeded(seed ^ ((epoch + 1u) * 0x9e3779b1u));
  for (uint32_t i = rows - 1; i > 0; i--) {
    uint32_t j = (uint32_t)floor(prng_uniform(&r) * (double)(i + 1));
    uint32_t tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
}

/* ---- the loop ---- */

/* One epoch: shuffle, then gather and step batch by batch. The epoch's loss is the
 * mean over its rows, each batch's mean weighted by its rows, as fit's History has it. */
static void run_epoch(fit *f) {
  const uint32_t D = f->n.D, O = f->n.O;
  epoch_order(f->order, f->rows, f->seed, f->epoch);
  double total = 0;
  for (uint32_t start = 0; start < f->rows; start += f->batch) {
    uint32_t size = f->rows - start < f->batch ? f->rows - start : f->batch;
    for (uint32_t i = 0; i < size; i++) {
      uint32_t row = f->order[start + i];
      memcpy(f->xb + (size_t)i * D, f->X + (size_t)row * D, sizeof(real) * D);
      memcpy(f->yb + (size_t)i * O, f->Y + (size_t)row * O, sizeof(real) * O);
    }
    f->n.N = (int)size;
    f->step(&f->n);
    total += f->n.loss * size;
  }
  f->epoch_loss = total / f->rows;
  f->epoch++;
}

static void run_fit(void *state) {
  fit *f = state;
  for (uint32_t e = 0; e < f->epochs_per_call; e++) run_epoch(f);
}

/* Layout in bench/fit/data.js; this reads it on a little-endian machine. */
static void load(fit *f, const char *path) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    perror(path);
    exit(1);
  }
  char magic[8];
  uint32_t h[8];
  double lr;
  if (fread(magic, 1, 8, file) != 8 || memcmp(magic, "BPFIT001", 8) != 0 || fread(h, 4, 8, file) != 8 ||
      fread(&lr, 8, 1, file) != 1) {
    fprintf(stderr, "%s is not a fit problem file\n", path);
    exit(1);
  }
  f->rows = h[0];
  f->batch = h[4], f->epochs_per_call = h[5], f->check_epochs = h[6], f->seed = h[7];
  if (f->rows == 0 || f->batch == 0) {
    fprintf(stderr, "%s holds no rows or no batch size\n", path);
    exit(1);
  }
  net *n = &f->n;
  n->D = (int)h[1], n->H = (int)h[2], n->O = (int)h[3];
  n->lr = lr;
  n->mean = 1;
  long R = f->rows, D = n->D, O = n->O;
  f->X = net_read_reals(file, R * D);
  f->Y = net_read_reals(file, R * O);
  net_read_parameters(n, file);
  f->file_orders = bench_read_array(file, sizeof(uint32_t), (long)f->check_epochs * R);
  fclose(file);
  f->order = malloc(sizeof(uint32_t) * R);
  if (f->order == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  f->xb = net_calloc((long)f->batch * D);
  f->yb = net_calloc((long)f->batch * O);
  n->X = f->xb;
  n->Y = f->yb;
  net_alloc(n, (int)f->batch);
}

int main(int argc, char **argv) {
  bench_options o = bench_parse_options(argc, argv);
  const char *path = bench_arg(argc, argv, "data", NULL);
  if (path == NULL) {
    fprintf(stderr, "usage: fit_loop --data FILE [--fused 1] [--threads T] [timing options]\n");
    return 2;
  }
  fit f;
  memset(&f, 0, sizeof f);
  load(&f, path);
  f.step = atoi(bench_arg(argc, argv, "fused", "0")) ? train_step_fused : train_step;
  openblas_set_num_threads(o.threads);

  double *losses = malloc(sizeof(double) * (f.check_epochs > 0 ? f.check_epochs : 1));
  for (uint32_t e = 0; e < f.check_epochs; e++) {
    run_epoch(&f);
    losses[e] = f.epoch_loss;
    /* run_epoch left this epoch's order in f.order. */
    if (memcmp(f.order, f.file_orders + (size_t)e * f.rows, sizeof(uint32_t) * f.rows) != 0) {
      fprintf(stderr, "epoch %u: the row order differs from the problem file's\n", e);
      return 1;
    }
  }
  double *block_us = malloc(sizeof(double) * o.blocks);
  long iters = bench_time_blocks(run_fit, &f, &o, block_us);
  if (!isfinite(f.epoch_loss)) {
    fprintf(stderr, "the loss diverged while timing\n");
    return 1;
  }
  bench_begin_result(block_us, o.blocks, iters);
  printf(",\"checkLosses\":[");
  for (uint32_t e = 0; e < f.check_epochs; e++) printf("%s%.17g", e ? "," : "", losses[e]);
  printf("],\"epochs\":%u,\"precision\":\"%s\"", f.epoch, REAL_PRECISION);
  bench_end_result();
  return 0;
}
