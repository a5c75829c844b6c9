#define _GNU_SOURCE
#include "CShims.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/quota.h>
#include <linux/dqblk_xfs.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

int fs_peer_credentials(int fd, pid_t *pid, uid_t *uid, gid_t *gid) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
        return -1;
    *pid = cred.pid;
    *uid = cred.uid;
    *gid = cred.gid;
    return 0;
}

int fs_peer_groups(int fd, gid_t *groups, int *count) {
    socklen_t len = (socklen_t)(*count * (int)sizeof(gid_t));
    if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
        if (errno == ERANGE)
            *count = (int)(len / sizeof(gid_t));
        return -1;
    }
    *count = (int)(len / sizeof(gid_t));
    return 0;
}

int fs_accept(int fd) {
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
}

int fs_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int fs_peer_pidfd(int fd) {
    int pidfd = -1;
    socklen_t len = sizeof(pidfd);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0)
        return -1;
    return pidfd;
}

int fs_pidfd_alive(int pidfd) {
    /* A pidfd polls readable once its process has exited. poll() needs no
     * permission over the process (pidfd_send_signal would need CAP_KILL
     * for another user's), and the daemon runs without CAP_KILL. */
    struct pollfd p = { .fd = pidfd, .events = POLLIN };
    int n = poll(&p, 1, 0);
    if (n < 0)
        return -1;
    if (n > 0) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif

/* quotactl_fd(2) (Linux 5.14): on the file system of any open file, so the
 * daemon needs no block device node (it runs without them). */
static int quota_command(int fd, int command, uid_t uid, void *data) {
    return (int)syscall(SYS_quotactl_fd, fd, QCMD(command, USRQUOTA), (int)uid, data);
}

/* udev's name for the block device of the file system of `fd`,
 * /dev/block/MAJOR:MINOR, if there is such a node for exactly that device. */
static int block_device_of(int fd, char *buf, size_t len) {
    struct stat fs, node;
    if (fstat(fd, &fs) != 0)
        return -1;
    snprintf(buf, len, "/dev/block/%u:%u", major(fs.st_dev), minor(fs.st_dev));
    if (stat(buf, &node) != 0 || !S_ISBLK(node.st_mode) || node.st_rdev != fs.st_dev)
        return -1;
    return 0;
}

/* quotactl_fd refuses Q_SETQUOTA and Q_GETQUOTA (which the kernel counts
 * as writes too) on a read-only mount: it takes mnt_want_write on fd's
 * mount, and ProtectSystem=strict gives the daemon read-only bind mounts of
 * every file system mounted before it started. The limits are the
 * superblock's, not a file's: on EROFS, the same command through the file
 * system's block device, as setquota(8) does; the node is looked up, never
 * opened (the unit's DevicePolicy=closed holds). A file system read-only
 * for real still refuses (EROFS). */
static int quota_command_or_device(int fd, int command, uid_t uid, struct dqblk *d) {
    if (quota_command(fd, command, uid, d) == 0)
        return 0;
    if (errno != EROFS)
        return -1;
    char device[64];
    if (block_device_of(fd, device, sizeof device) != 0) {
        errno = EROFS;
        return -1;
    }
    return quotactl(QCMD(command, USRQUOTA), device, (int)uid, (caddr_t)d);
}

int fs_quota_enforced(int fd) {
    struct fs_quota_stat st;
    memset(&st, 0, sizeof st);
    if (quota_command(fd, Q_XGETQSTAT, 0, &st) != 0)
        return -1;
    return (st.qs_flags & FS_QUOTA_UDQ_ENFD) != 0;
}

int fs_quota_set(int fd, uid_t uid, const struct fs_user_quota *quota) {
    struct dqblk d;
    memset(&d, 0, sizeof d);
    d.dqb_bsoftlimit = quota->block_soft;
    d.dqb_bhardlimit = quota->block_hard;
    d.dqb_isoftlimit = quota->inode_soft;
    d.dqb_ihardlimit = quota->inode_hard;
    d.dqb_valid = QIF_LIMITS;
    return quota_command_or_device(fd, Q_SETQUOTA, uid, &d);
}

int fs_quota_get(int fd, uid_t uid, struct fs_user_quota *quota) {
    struct dqblk d;
    memset(&d, 0, sizeof d);
    if (quota_command_or_device(fd, Q_GETQUOTA, uid, &d) != 0)
        return -1;
    quota->block_soft = d.dqb_bsoftlimit;
    quota->block_hard = d.dqb_bhardlimit;
    quota->inode_soft = d.dqb_isoftlimit;
    quota->inode_hard = d.dqb_ihardlimit;
    quota->space_used = d.dqb_curspace;
    quota->inodes_used = d.dqb_curinodes;
    return 0;
}
