#!/usr/bin/env python3
"""A member's process that connects to fairshared and then becomes a setuid
program (same pid, same start time, effective uid 0) before asking to be
moved into the member's scope.

    setuid-exec.py connect SETUID_PYTHON   (run as the member)

It connects, then execs SETUID_PYTHON (a setuid-root copy of python3) on
this script with the inherited connection, which sends `exec` and prints:

    euid N         the effective uid the request was sent with
    reply LINE     the daemon's reply
    cgroup PATH    the process's cgroup after the reply
"""
import os
import socket
import sys

from fsclient import connect, read_line


def own_cgroup() -> str:
    with open("/proc/self/cgroup") as f:
        lines = f.read().splitlines()
    # cgroup v2's "0::" line, else v1's name=systemd line.
    for prefix in ("0::", "1:name=systemd:"):
        for line in lines:
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[0] if lines else ""


def main() -> int:
    if sys.argv[1] == "connect":
        fd = connect().detach()
        os.set_inheritable(fd, True)
        os.execv(sys.argv[2], [sys.argv[2], os.path.abspath(__file__), "send", str(fd)])
    s = socket.socket(fileno=int(sys.argv[2]))
    s.settimeout(30)
    s.sendall(b'{"v":1,"op":"exec"}\n')
    reply = read_line(s) or b""
    print("euid %d" % os.geteuid())
    print("reply %s" % reply.decode(errors="replace"))
    print("cgroup %s" % own_cgroup())
    return 0


if __name__ == "__main__":
    sys.exit(main())
