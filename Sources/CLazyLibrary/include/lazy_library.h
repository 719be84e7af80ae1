#ifndef SF_LAZY_LIBRARY_H
#define SF_LAZY_LIBRARY_H

/* A shared library opened on first use.
 *
 * libgit2 and libarchive bring about twenty more shared libraries (OpenSSL
 * through libssh2, Kerberos, mbedTLS, libxml2 and ICU, ...) that the dynamic
 * loader would otherwise map and relocate at every start of the agent,
 * although a warm pinned job needs no git at all and `sf-agent version`
 * neither. So the agent does not link them: each C module defines the
 * library's functions it uses as trampolines (SF_LAZY_FUNCTION below) that
 * open the library on the first call and jump to its function. Swift calls
 * the library's own names, declared by its own headers, which the compiler
 * checks each trampoline against.
 *
 * Callers check sf_lazy_library_load() first (the Swift wrappers turn its
 * message into a typed error); a trampoline reached without a loadable
 * library ends the process with that message, as an unresolved symbol would
 * at start. CCurl opens libcurl through the same loader but looks its
 * functions up with sf_lazy_library_find, behind wrappers that fail safely. */

#include <pthread.h>

struct sf_lazy_library {
    const char *soname;
    pthread_mutex_t lock;
    void *handle;
    char problem[512];
};

#define SF_LAZY_LIBRARY_INIT(soname) { (soname), PTHREAD_MUTEX_INITIALIZER, 0, { 0 } }

/* Opens the library (once, thread-safe; never closed). NULL when it is
 * ready, else a message naming the library and why it cannot be loaded,
 * valid for the life of the process. */
const char *sf_lazy_library_load(struct sf_lazy_library *library);

/* The address of `name` in the library, opening it first; NULL when the
 * library cannot be loaded or has no such symbol. */
void *sf_lazy_library_find(struct sf_lazy_library *library, const char *name);

/* The same, but ends the process with a message when the library or the
 * symbol is missing (for trampolines, whose callers checked the load). */
void *sf_lazy_library_symbol(struct sf_lazy_library *library, const char *name);

/* Defines `name` with the signature its header declares: resolved once
 * (the pointer is published atomically), then a plain indirect call. */
#define SF_LAZY_FUNCTION(library, result, name, parameters, arguments)                        \
    result name parameters {                                                                  \
        static result(*resolved) parameters;                                                  \
        result(*function) parameters = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);          \
        if (function == 0) {                                                                  \
            function = (result(*) parameters)sf_lazy_library_symbol(&(library), #name);       \
            __atomic_store_n(&resolved, function, __ATOMIC_RELEASE);                          \
        }                                                                                     \
        return function arguments;                                                            \
    }

/* The same for a function that returns nothing. */
#define SF_LAZY_PROCEDURE(library, name, parameters, arguments)                               \
    void name parameters {                                                                    \
        static void(*resolved) parameters;                                                    \
        void(*function) parameters = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);            \
        if (function == 0) {                                                                  \
            function = (void(*) parameters)sf_lazy_library_symbol(&(library), #name);         \
            __atomic_store_n(&resolved, function, __ATOMIC_RELEASE);                          \
        }                                                                                     \
        function arguments;                                                                   \
    }

#endif
