#ifndef SF_SYSCALL_MOCKING_H
#define SF_SYSCALL_MOCKING_H

/* The calling thread's syscall mocking driver (AgentSystem's
   Syscalls/Mocking.swift), or NULL when mocking is off: every wrapper of
   Syscalls.swift checks it, one thread-local load. Thread-local so that
   tests running in parallel never see each other's driver. */

extern _Thread_local void *sf_mocking_driver_slot;

static inline void *sf_mocking_driver(void) {
    return sf_mocking_driver_slot;
}

static inline void sf_set_mocking_driver(void *driver) {
    sf_mocking_driver_slot = driver;
}

#endif
