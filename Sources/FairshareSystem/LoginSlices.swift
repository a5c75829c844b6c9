import FairshareCore

/// logind's `user-UID.slice` cgroups, read from their files the way
/// `CgroupUsage` reads fairshare's slices: which exist now (a user with
/// a login running) and what they use.
public enum LoginSlices {
    /// The uids whose `user-UID.slice` exists under `root`.
    public static func live(root: String = "/sys/fs/cgroup") -> [UInt32] {
        let unified = FileIO.exists(root + "/cgroup.controllers") ? root : root + "/unified"
        return ((try? FileIO.listDirectory(unified + "/user.slice")) ?? []).compactMap(LoginDropIn.uid(ofSlice:)).sorted()
    }

    /// What `uid`'s logins use now; nil when none runs.
    public static func usage(uid: UInt32, root: String = "/sys/fs/cgroup") -> LoginUsageReply? {
        let unified = FileIO.exists(root + "/cgroup.controllers") ? root : root + "/unified"
        let path = LoginDropIn.controlGroup(uid: uid)
        guard FileIO.exists(unified + path) else { return nil }
        let usage = CgroupUsage.read(path: path, root: root)
        return LoginUsageReply(cpuUsec: usage.cpuUsec, mem: usage.memoryBytes, tasks: usage.tasks)
    }
}
