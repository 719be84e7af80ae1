#include "syscall_mocking.h"

_Thread_local void *sf_mocking_driver_slot = 0;
