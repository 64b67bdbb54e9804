// Keeps fork() away from OpenBLAS calls in flight.
//
// OpenBLAS's pthread build shuts its thread pool down in a pthread_atfork "prepare"
// handler, so that a child does not inherit a pool whose threads are gone. That
// shutdown is not synchronised with BLAS calls on other threads: when one thread
// forks (child_process.spawn, exec, fork: libuv forks for each of them) while a
// worker thread is inside a multithreaded OpenBLAS call, the pool is torn down under
// the call, and the process can hang for good in the shutdown's pthread_join
// (OpenBLAS 0.3.21; test/hardening/stress.mjs reproduces it in seconds).
//
// Every call into OpenBLAS holds a BlasCallScope, a shared lock. A prepare handler,
// registered at the first call, so after OpenBLAS registered its own in its library
// constructor, and therefore run before it (prepare handlers run in reverse order),
// takes the lock exclusively: fork waits for the calls in flight to finish, and new
// calls wait until fork has returned. The lock prefers writers, so a steady stream of
// BLAS calls from several threads cannot starve a fork.
#pragma once

#if defined(_WIN32)

namespace blasprop {
// Windows has no fork(): nothing to guard.
class BlasCallScope {};
}  // namespace blasprop

#else

#include <pthread.h>

namespace blasprop {

namespace fork_guard {
#ifdef PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP
inline pthread_rwlock_t calls_in_flight = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
#else
inline pthread_rwlock_t calls_in_flight = PTHREAD_RWLOCK_INITIALIZER;
#endif

inline void BeforeFork() { pthread_rwlock_wrlock(&calls_in_flight); }
// In the child, the forking thread is the only thread left, and it holds the lock.
inline void AfterFork() { pthread_rwlock_unlock(&calls_in_flight); }

// Registers the handlers on first use. (A function-local static: after the first
// call its guard is one load, where std::call_once cost two thread-local lookups and a
// pthread_once on every BLAS call.)
inline void InstallHandlersOnce() {
  static const bool installed = pthread_atfork(BeforeFork, AfterFork, AfterFork) == 0;
  (void)installed;
}
}  // namespace fork_guard

class BlasCallScope {
 public:
  BlasCallScope() {
    fork_guard::InstallHandlersOnce();
    pthread_rwlock_rdlock(&fork_guard::calls_in_flight);
  }
  ~BlasCallScope() { pthread_rwlock_unlock(&fork_guard::calls_in_flight); }
  BlasCallScope(const BlasCallScope&) = delete;
  BlasCallScope& operator=(const BlasCallScope&) = delete;
};

}  // namespace blasprop

#endif
