/* The measuring half of the harness for C peers: the same warm-up and timed blocks
 * as bench/lib/measure.mjs, the same command-line options, and the same one JSON
 * line on stdout (marked BENCH_RESULT) for the parent to read. Header-only so each
 * peer stays a single translation unit. */
#ifndef BLASPROP_BENCH_HARNESS_H
#define BLASPROP_BENCH_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cblas.h>

typedef struct {
  double warmup_ms;
  double block_ms;
  int blocks;
  int threads;
} bench_options;

/* The value after `--name`, or `fallback` when the option is absent. */
static const char *bench_arg(int argc, char **argv, const char *name, const char *fallback) {
  for (int i = 1; i + 1 < argc; i++) {
    if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0) return argv[i + 1];
  }
  return fallback;
}

static bench_options bench_parse_options(int argc, char **argv) {
  bench_options o;
  o.warmup_ms = atof(bench_arg(argc, argv, "warmup-ms", "200"));
  o.block_ms = atof(bench_arg(argc, argv, "block-ms", "100"));
  o.blocks = atoi(bench_arg(argc, argv, "blocks", "5"));
  o.threads = atoi(bench_arg(argc, argv, "threads", "1"));
  return o;
}

static double bench_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

typedef void (*bench_step_fn)(void *state);

/* Runs `step` for warmup_ms (not at all for 0), then fills block_us[0..blocks) with
 * microseconds per call, blocks sized from the warm-up's pace to last about block_ms
 * (one call each without a warm-up). Returns calls per block. */
static long bench_time_blocks(bench_step_fn step, void *state, const bench_options *o, double *block_us) {
  long calls = 0;
  double start = bench_now_ms();
  while (bench_now_ms() - start < o->warmup_ms) {
    step(state);
    calls++;
  }
  long iters = 1;
  if (calls > 0) {
    double per_call_ms = (bench_now_ms() - start) / (double)calls;
    iters = (long)(o->block_ms / per_call_ms + 0.5);
    if (iters < 1) iters = 1;
  }
  for (int b = 0; b < o->blocks; b++) {
    double t0 = bench_now_ms();
    for (long i = 0; i < iters; i++) step(state);
    block_us[b] = (bench_now_ms() - t0) * 1e3 / (double)iters;
  }
  return iters;
}

/* `count` items of `size` bytes read from a problem file into a new buffer; exits on a
 * short read, which means the file does not match its own header. */
static inline void *bench_read_array(FILE *f, size_t size, long count) {
  void *x = malloc(size * (size_t)(count > 0 ? count : 1));
  if (x == NULL || fread(x, size, (size_t)count, f) != (size_t)count) {
    fprintf(stderr, "short read from the problem file\n");
    exit(1);
  }
  return x;
}

/* Peak resident set size in KiB: VmHWM from /proc, not getrusage's ru_maxrss, which
 * on Linux carries over the high-water mark of the image before exec (the parent). */
static long bench_peak_rss_kb(void) {
  FILE *status = fopen("/proc/self/status", "r");
  if (status != NULL) {
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, status) != NULL) {
      if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    }
    fclose(status);
    if (kb >= 0) return kb;
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Starts the result line with the fields every peer reports; the caller appends its
 * own `,"key":value` pairs and then calls bench_end_result. */
static void bench_begin_result(const double *block_us, int blocks, long iters) {
  printf("BENCH_RESULT {\"blockUs\":[");
  for (int b = 0; b < blocks; b++) printf("%s%.17g", b ? "," : "", block_us[b]);
  printf("],\"itersPerBlock\":%ld,\"peakRssKb\":%ld", iters, bench_peak_rss_kb());
  printf(",\"blas\":{\"config\":\"%s\",\"corename\":\"%s\",\"threads\":%d}", openblas_get_config(),
         openblas_get_corename(), openblas_get_num_threads());
}

static void bench_end_result(void) {
  printf("}\n");
  fflush(stdout);
}

#endif
