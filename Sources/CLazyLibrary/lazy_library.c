#include "lazy_library.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

const char *sf_lazy_library_load(struct sf_lazy_library *library) {
    pthread_mutex_lock(&library->lock);
    if (library->handle == NULL && library->problem[0] == 0) {
        /* RTLD_LOCAL: its symbols stay out of the global namespace. */
        library->handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
        if (library->handle == NULL) {
            const char *reason = dlerror();
            snprintf(library->problem, sizeof library->problem, "%s", reason ? reason : library->soname);
        }
    }
    pthread_mutex_unlock(&library->lock);
    return library->handle != NULL ? NULL : library->problem;
}

void *sf_lazy_library_find(struct sf_lazy_library *library, const char *name) {
    /* dlsym on the handle searches the library and its dependencies, never
       the agent's own trampoline of the same name. */
    return sf_lazy_library_load(library) == NULL ? dlsym(library->handle, name) : NULL;
}

void *sf_lazy_library_symbol(struct sf_lazy_library *library, const char *name) {
    void *found = sf_lazy_library_find(library, name);
    if (found == NULL) {
        const char *problem = sf_lazy_library_load(library);
        fprintf(stderr, "sf-agent: cannot call %s: %s\n", name, problem != NULL ? problem : "the library has no such function");
        abort();
    }
    return found;
}
