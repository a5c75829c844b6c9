/* The sd_* functions fairshare calls, forwarding to libsystemd.so.0 opened
 * with dlopen on first use (see CSystemdLoader.h). Signatures as in
 * <systemd/sd-bus.h>, <systemd/sd-daemon.h> and <systemd/sd-journal.h>,
 * which the compiler checks them against. */
#define _GNU_SOURCE
/* The plain sd_journal_sendv, not the macro that adds the caller's
 * location (Swift calls the function by its name). */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include "CSystemdLoader.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

static void *library;
static const char *load_error;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    library = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!library)
        load_error = dlerror();
}

int fs_systemd_load(const char **error) {
    pthread_once(&load_once, load);
    if (library)
        return 0;
    if (error)
        *error = load_error ? load_error : "libsystemd.so.0: cannot be loaded";
    return -1;
}

/* The address of `name` in libsystemd, or NULL if it cannot be loaded. */
static void *symbol(const char *name) {
    if (fs_systemd_load(NULL) < 0)
        return NULL;
    return dlsym(library, name);
}

/* Defines `name` to call libsystemd's, resolved once; `failed` is returned
 * when libsystemd or the symbol is missing. */
#define FORWARD(type, name, params, args, failed)                                 \
    type name params {                                                             \
        static type(*target) params;                                               \
        type(*fn) params = __atomic_load_n(&target, __ATOMIC_ACQUIRE);             \
        if (!fn) {                                                                 \
            fn = (type(*) params)symbol(#name);                                    \
            if (!fn)                                                               \
                return failed;                                                     \
            __atomic_store_n(&target, fn, __ATOMIC_RELEASE);                       \
        }                                                                          \
        return fn args;                                                            \
    }

FORWARD(int, sd_bus_open_system, (sd_bus **ret), (ret), -ELIBACC)
FORWARD(sd_bus *, sd_bus_flush_close_unref, (sd_bus *bus), (bus), NULL)
FORWARD(int, sd_bus_get_fd, (sd_bus *bus), (bus), -ELIBACC)
FORWARD(int, sd_bus_process, (sd_bus *bus, sd_bus_message **r), (bus, r), -ELIBACC)
FORWARD(int, sd_bus_wait, (sd_bus *bus, uint64_t timeout_usec), (bus, timeout_usec), -ELIBACC)
FORWARD(int, sd_bus_call, (sd_bus *bus, sd_bus_message *m, uint64_t usec, sd_bus_error *ret_error, sd_bus_message **reply),
        (bus, m, usec, ret_error, reply), -ELIBACC)
FORWARD(int, sd_bus_match_signal,
        (sd_bus *bus, sd_bus_slot **ret, const char *sender, const char *path, const char *interface, const char *member,
         sd_bus_message_handler_t callback, void *userdata),
        (bus, ret, sender, path, interface, member, callback, userdata), -ELIBACC)
FORWARD(int, sd_bus_add_match,
        (sd_bus *bus, sd_bus_slot **slot, const char *match, sd_bus_message_handler_t callback, void *userdata),
        (bus, slot, match, callback, userdata), -ELIBACC)
FORWARD(int, sd_bus_call_async,
        (sd_bus *bus, sd_bus_slot **slot, sd_bus_message *m, sd_bus_message_handler_t callback, void *userdata, uint64_t usec),
        (bus, slot, m, callback, userdata, usec), -ELIBACC)
FORWARD(int, sd_bus_get_events, (sd_bus *bus), (bus), -ELIBACC)
FORWARD(int, sd_bus_get_timeout, (sd_bus *bus, uint64_t *timeout_usec), (bus, timeout_usec), -ELIBACC)
FORWARD(int, sd_bus_is_open, (sd_bus *bus), (bus), -ELIBACC)
FORWARD(const sd_bus_error *, sd_bus_message_get_error, (sd_bus_message *m), (m), NULL)
FORWARD(int, sd_bus_message_get_errno, (sd_bus_message *m), (m), -ELIBACC)
FORWARD(sd_bus_slot *, sd_bus_slot_unref, (sd_bus_slot *slot), (slot), NULL)
FORWARD(int, sd_bus_message_new_method_call,
        (sd_bus *bus, sd_bus_message **m, const char *destination, const char *path, const char *interface, const char *member),
        (bus, m, destination, path, interface, member), -ELIBACC)
FORWARD(sd_bus_message *, sd_bus_message_ref, (sd_bus_message *m), (m), NULL)
FORWARD(sd_bus_message *, sd_bus_message_unref, (sd_bus_message *m), (m), NULL)
FORWARD(int, sd_bus_message_append_basic, (sd_bus_message *m, char type, const void *p), (m, type, p), -ELIBACC)
FORWARD(int, sd_bus_message_open_container, (sd_bus_message *m, char type, const char *contents), (m, type, contents), -ELIBACC)
FORWARD(int, sd_bus_message_close_container, (sd_bus_message *m), (m), -ELIBACC)
FORWARD(int, sd_bus_message_enter_container, (sd_bus_message *m, char type, const char *contents), (m, type, contents), -ELIBACC)
FORWARD(int, sd_bus_message_exit_container, (sd_bus_message *m), (m), -ELIBACC)
FORWARD(int, sd_bus_message_read_basic, (sd_bus_message *m, char type, void *p), (m, type, p), -ELIBACC)
FORWARD(int, sd_bus_message_rewind, (sd_bus_message *m, int complete), (m, complete), -ELIBACC)
FORWARD(int, sd_bus_message_skip, (sd_bus_message *m, const char *types), (m, types), -ELIBACC)
FORWARD(const char *, sd_bus_message_get_member, (sd_bus_message *m), (m), NULL)
FORWARD(const char *, sd_bus_message_get_path, (sd_bus_message *m), (m), NULL)
FORWARD(int, sd_is_socket_unix, (int fd, int type, int listening, const char *path, size_t length),
        (fd, type, listening, path, length), -ELIBACC)
FORWARD(int, sd_listen_fds, (int unset_environment), (unset_environment), -ELIBACC)
FORWARD(int, sd_notify, (int unset_environment, const char *state), (unset_environment, state), -ELIBACC)
FORWARD(int, sd_journal_sendv, (const struct iovec *iov, int n), (iov, n), -ELIBACC)

void sd_bus_error_free(sd_bus_error *e) {
    static void (*target)(sd_bus_error *);
    void (*fn)(sd_bus_error *) = __atomic_load_n(&target, __ATOMIC_ACQUIRE);
    if (!fn) {
        fn = (void (*)(sd_bus_error *))symbol("sd_bus_error_free");
        if (!fn)
            return;
        __atomic_store_n(&target, fn, __ATOMIC_RELEASE);
    }
    fn(e);
}
