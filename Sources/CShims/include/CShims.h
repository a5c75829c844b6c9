/* A few libc bits that Swift's Glibc module does not expose (they need
 * _GNU_SOURCE): peer credentials of a Unix socket, accept4, pidfd_open.
 * Every function returns -1 and sets errno on failure, like the syscall. */
#ifndef FAIRSHARE_CSHIMS_H
#define FAIRSHARE_CSHIMS_H

#include <sys/types.h>

/* SO_PEERCRED: the pid, uid and gid of the process that connected. */
int fs_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

/* SO_PEERGROUPS: the peer's supplementary groups as the kernel saw them at
 * connect().  *count is the capacity on entry and the number on return; when
 * the buffer is too small it fails with ERANGE and *count holds the need. */
int fs_peer_groups(int fd, gid_t *groups, int *count);

/* accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK). */
int fs_accept(int fd);

/* pidfd_open(2) through syscall(2); returns the pidfd. */
int fs_pidfd_open(pid_t pid);

/* SO_PEERPIDFD (Linux 6.5+): a pidfd for the peer, or -1/ENOPROTOOPT. */
int fs_peer_pidfd(int fd);

/* 0 if the process of the pidfd has not exited (poll(2) on the pidfd),
 * else -1 with errno ESRCH. */
int fs_pidfd_alive(int pidfd);

/* A user's disk quota through quotactl_fd(2) on the file system of the open
 * file `fd` (Q_SETQUOTA/Q_GETQUOTA, USRQUOTA): space limits in 1 KiB
 * blocks, inode limits in inodes; 0 = no limit. */
struct fs_user_quota {
    unsigned long long block_soft, block_hard;   /* 1 KiB blocks */
    unsigned long long inode_soft, inode_hard;
    unsigned long long space_used;                /* bytes */
    unsigned long long inodes_used;
};
/* fs_quota_set and fs_quota_get fall back to quotactl(2) on
 * /dev/block/MAJOR:MINOR when the
 * mount of `fd` is read-only (EROFS), e.g. in the daemon's ProtectSystem=
 * namespace; the file system itself must be writable. */
int fs_quota_set(int fd, uid_t uid, const struct fs_user_quota *quota);
int fs_quota_get(int fd, uid_t uid, struct fs_user_quota *quota);
/* Whether user quota limits are enforced there (Q_XGETQSTAT's
 * FS_QUOTA_UDQ_ENFD): 1 or 0, or -1 with errno. ext4 with the quota feature
 * tracks usage from mount but enforces limits only when mounted with
 * usrquota (or after quotaon). */
int fs_quota_enforced(int fd);

#endif
