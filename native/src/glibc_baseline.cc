// Lets the statically linked prebuild load on glibc versions older than the build
// machine's. Only compiled into static builds on x86-64 and arm64 glibc: see
// native/build-config/openblas.cjs, which passes --wrap=NAME for every __wrap_NAME
// defined here.
//
// glibc 2.34 moved the pthread functions from libpthread into libc and gave them new
// symbol versions (pthread_getaffinity_np got one in 2.32). Linked on a newer
// system, OpenBLAS's thread pool and the addon's own locking would require
// GLIBC_2.34 and fail to load on, say, Debian 11 or RHEL 8 ("version `GLIBC_2.34'
// not found"). Every glibc still exports the original versions as the very same
// functions (the same address in libc.so.6), so the linker routes the calls
// (--wrap=NAME turns references to NAME into __wrap_NAME) through the forwarders
// below, each bound with .symver to the architecture's original version. A function
// missing here shows up as a GLIBC_2.3x requirement in `npm run test:package`.
//
// glibc 2.29 gave exp and log (the loss kernels call them) new versions when it
// dropped their SVID error-handling modes; the original versions stay, and compute
// the same values (they differ only in how they report a range error, which no
// kernel asks for), so the same forwarding keeps the requirement at 2.28.
#include <pthread.h>
#include <sched.h>

// The versions each function had before 2.34: the architecture's first glibc
// version, except on x86-64 for the affinity calls, which came later there.
#if defined(__x86_64__)
#define ORIGINAL_VERSION "GLIBC_2.2.5"
#define AFFINITY_VERSION "GLIBC_2.3.4"
#elif defined(__aarch64__)
#define ORIGINAL_VERSION "GLIBC_2.17"
#define AFFINITY_VERSION "GLIBC_2.17"
#else
#error "glibc_baseline.cc knows the symbol versions of x86-64 and arm64 only"
#endif

#define BIND_TO_VERSION(local, name, version) __asm__(".symver " #local ", " #name "@" version)

extern "C" {

int blasprop_pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int blasprop_pthread_join(pthread_t, void**);
int blasprop_pthread_getaffinity_np(pthread_t, size_t, cpu_set_t*);
int blasprop_pthread_setaffinity_np(pthread_t, size_t, const cpu_set_t*);
int blasprop_pthread_once(pthread_once_t*, void (*)());
int blasprop_pthread_rwlock_rdlock(pthread_rwlock_t*);
int blasprop_pthread_rwlock_wrlock(pthread_rwlock_t*);
int blasprop_pthread_rwlock_unlock(pthread_rwlock_t*);
double blasprop_exp(double);
double blasprop_log(double);

BIND_TO_VERSION(blasprop_pthread_create, pthread_create, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_pthread_join, pthread_join, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_pthread_getaffinity_np, pthread_getaffinity_np, AFFINITY_VERSION);
BIND_TO_VERSION(blasprop_pthread_setaffinity_np, pthread_setaffinity_np, AFFINITY_VERSION);
BIND_TO_VERSION(blasprop_pthread_once, pthread_once, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_pthread_rwlock_rdlock, pthread_rwlock_rdlock, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_pthread_rwlock_wrlock, pthread_rwlock_wrlock, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_pthread_rwlock_unlock, pthread_rwlock_unlock, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_exp, exp, ORIGINAL_VERSION);
BIND_TO_VERSION(blasprop_log, log, ORIGINAL_VERSION);

#define FORWARDER __attribute__((visibility("hidden")))

FORWARDER int __wrap_pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                                    void* arg) {
  return blasprop_pthread_create(thread, attr, start, arg);
}

FORWARDER int __wrap_pthread_join(pthread_t thread, void** result) { return blasprop_pthread_join(thread, result); }

FORWARDER int __wrap_pthread_getaffinity_np(pthread_t thread, size_t size, cpu_set_t* set) {
  return blasprop_pthread_getaffinity_np(thread, size, set);
}

FORWARDER int __wrap_pthread_setaffinity_np(pthread_t thread, size_t size, const cpu_set_t* set) {
  return blasprop_pthread_setaffinity_np(thread, size, set);
}

FORWARDER int __wrap_pthread_once(pthread_once_t* once, void (*init)()) { return blasprop_pthread_once(once, init); }

FORWARDER int __wrap_pthread_rwlock_rdlock(pthread_rwlock_t* lock) { return blasprop_pthread_rwlock_rdlock(lock); }

FORWARDER int __wrap_pthread_rwlock_wrlock(pthread_rwlock_t* lock) { return blasprop_pthread_rwlock_wrlock(lock); }

FORWARDER int __wrap_pthread_rwlock_unlock(pthread_rwlock_t* lock) { return blasprop_pthread_rwlock_unlock(lock); }

FORWARDER double __wrap_exp(double x) { return blasprop_exp(x); }

FORWARDER double __wrap_log(double x) { return blasprop_log(x); }

}  // extern "C"
