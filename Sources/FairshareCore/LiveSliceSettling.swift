/// After a `daemon-reload` that changed login drop-ins: which login slices
/// get their settings written into the kernel by fairshared's nudge.
///
/// systemd 252 writes a running slice's changed `CPUQuota=`, `MemoryMax=`,
/// `TasksMax=`, `DevicePolicy=` into its cgroup during the reload itself.
/// systemd 257 (Debian 13) only re-reads them: `systemctl show` has the new
/// values, the cgroup keeps the old ones until systemd next realizes the
/// slice (a unit starting inside it). So a cap added by a policy reload
/// would not hold on a live login, nor would a dropped one lift. The nudge,
/// on every systemd alike (never chosen by version): start and stop an
/// empty slice inside each live login slice whose drop-in changed; starting
/// it makes systemd realize its parents, writing their settings.
public enum LiveSliceSettling {
    /// The uids to nudge: those whose drop-in was written or removed since
    /// the last reload, and whose login slice runs now (a slice that is not
    /// running gets its settings when it starts; nudging it would start it).
    public static func uids(changed: Set<UInt32>, running: Set<UInt32>) -> [UInt32] {
        changed.intersection(running).sorted()
    }
}
