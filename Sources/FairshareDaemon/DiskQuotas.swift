import FairshareCore
import FairshareSystem

/// Sets and reads users' disk quotas: the seam between the handler and
/// quotactl(2), so tests need no file system with quotas.
public struct QuotaControl: Sendable {
    /// Sets the limits; nil when done, else what went wrong.
    public var apply: @Sendable (DiskQuota, UInt32) -> String?
    public var usage: @Sendable (_ path: String, _ uid: UInt32) -> DiskUsage?
    /// Whether limits on the file system of `path` are enforced; nil when
    /// that cannot be told.
    public var enforced: @Sendable (_ path: String) -> Bool?

    public init(apply: @escaping @Sendable (DiskQuota, UInt32) -> String?,
                usage: @escaping @Sendable (String, UInt32) -> DiskUsage?,
                enforced: @escaping @Sendable (String) -> Bool? = { _ in nil }) {
        self.apply = apply
        self.usage = usage
        self.enforced = enforced
    }

    public static let system = QuotaControl(
        apply: { quota, uid in
            do throws(SystemError) {
                try UserQuota.apply(quota, uid: uid)
                return nil
            } catch {
                switch error.errno {
                case .noSuchProcess:
                    return "user quotas are not on for the file system of \(quota.path) (create it with 'mkfs.ext4 -O quota' or mount it with usrquota and run quotaon)"
                case .readOnlyFileSystem:
                    return "\(error) (mounted read-only, or read-only in fairshared's sandbox and with no node /dev/block/MAJOR:MINOR to set the quota through)"
                default:
                    return "\(error)"
                }
            }
        },
        usage: { path, uid in try? UserQuota.usage(path: path, uid: uid) },
        enforced: { path in try? UserQuota.limitsEnforced(path: path) })
}

extension RequestHandler {
    /// Whether there is a quota to set or clear; when not, no account is
    /// looked up at all.
    private var quotasInPlay: Bool { policy.setsDiskQuotas || !appliedQuotas.isEmpty }

    /// `user`'s `disk:` quota under the policy, their groups looked up.
    func diskQuota(of user: String) -> DiskQuota? {
        policy.effectiveLimits(user: user, groups: groupLookup(user) ?? []).disk?.value
    }

    /// Puts each user's quota from the policy (`wanted`) in place (at start,
    /// after a reload, and for a user's first request), and clears a quota
    /// fairshare set that the policy no longer has. Failures go to the
    /// journal, once per message.
    func applyDiskQuotas(_ users: [(name: String, uid: UInt32, wanted: DiskQuota?)]) {
        guard quotasInPlay else { return }
        var failures: [String: [String]] = [:]
        var paths: Set<String> = []
        for (name, uid, wanted) in users {
            let applied = appliedQuotas[uid]
            guard wanted != applied else { continue }
            let change = wanted ?? DiskQuota(path: applied!.path)   // no limits: clears ours
            if let problem = quotas.apply(change, uid) {
                failures[problem, default: []].append(name)
                continue
            }
            appliedQuotas[uid] = wanted
            if let wanted { paths.insert(wanted.path) }
            events.record(DaemonEvent(.quota, wanted.map { "disk quota of \(name): \($0)" } ?? "disk quota of \(name) on \(change.path) cleared",
                                      uid: uid, user: name))
        }
        for (problem, names) in failures.sorted(by: { $0.key < $1.key }) {
            events.record(DaemonEvent(.error, "cannot set the disk quota of \(names.joined(separator: ", ")): \(problem)"))
        }
        for path in paths.sorted() where quotas.enforced(path) == false {
            events.record(DaemonEvent(.error, "disk quotas on the file system of \(path) are recorded but not enforced: "
                                      + "mount it with usrquota (fstab: defaults,usrquota) or run 'quotaon -u \(path)'"))
        }
    }

    /// Every regular account's quota (the start and a reload).
    public func applyDiskQuotasToAllUsers() {
        guard quotasInPlay else { return }
        applyDiskQuotas(regularUsers().map { ($0.name, $0.uid, diskQuota(of: $0.name)) })
    }

    /// `status`/`list`: the user's use of their quota'd file system.
    func diskUsage(quota: DiskQuota?, uid: UInt32) -> DiskUsage? {
        guard let quota, var usage = quotas.usage(quota.path, uid) else { return nil }
        usage.path = quota.path
        return usage
    }
}
