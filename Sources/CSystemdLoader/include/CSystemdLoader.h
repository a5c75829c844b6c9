#ifndef FAIRSHARE_CSYSTEMD_LOADER_H
#define FAIRSHARE_CSYSTEMD_LOADER_H

/* libsystemd is opened when the daemon first needs it, not when the
 * program starts: the client (`fairshare`, run on every `fairshare exec`)
 * never loads it and its six dependencies. The sd_* functions fairshare
 * uses are defined in systemd-loader.c and forward to libsystemd.so.0. */

/* Opens libsystemd.so.0 if not yet done. 0 on success; -1 with the
 * loader's message in *error (static storage) otherwise. */
int fs_systemd_load(const char **error);

#endif
