import FairshareCore

/// Puts the policy's login caps in place (fairshare-policy(5), LOGIN
/// CAPS): one drop-in per capped account in systemd's runtime unit
/// directory, `user-UID.slice.d/50-fairshare-login.conf`, for every
/// account NSS lists from `min_uid` to `max_uid`, members of group
/// fairshare or not. At start and at each policy change the files are
/// compared with what the policy wants; only when one is written or
/// removed does systemd re-read its configuration (one `daemon-reload`,
/// asynchronous), which also re-applies the settings of user slices that
/// are running. Nothing happens per login: systemd reads the drop-in when
/// logind's slice appears, so the cap holds from a session's first second
/// and after logout and login. Runs on the daemon's queue.
public final class LoginCaps {
    let files: LoginCapFiles
    /// NSS accounts with a uid in the range.
    let accounts: (ClosedRange<UInt32>) -> [(name: String, uid: UInt32)]
    let groupLookup: (String) -> [String]?
    let events: any EventLog
    /// The caps in force, by uid.
    public private(set) var caps: [UInt32: LoginCap] = [:]
    private var reloading = false
    private var reloadAgain = false
    /// The last reload failed: the next `apply` reloads even when no file changes.
    private var reloadFailed = false

    public init(files: LoginCapFiles, accounts: @escaping (ClosedRange<UInt32>) -> [(name: String, uid: UInt32)],
                groupLookup: @escaping (String) -> [String]?, events: any EventLog) {
        self.files = files
        self.accounts = accounts
        self.groupLookup = groupLookup
        self.events = events
    }

    /// Brings the drop-ins in line with `policy`; `reason` names the
    /// occasion for the journal ("start", "policy reload by root").
    public func apply(_ policy: Policy, reason: String) {
        var wanted: [UInt32: UnitDropIn] = [:]
        var capped: [UInt32: LoginCap] = [:]
        if policy.setsLoginCaps, let uids = policy.loginUIDs {
            for account in accounts(uids) {
                let cap = policy.loginCap(user: account.name, uid: account.uid, groups: groupLookup(account.name) ?? [])
                guard let dropIn = LoginDropIn.render(cap, uid: account.uid) else { continue }
                wanted[account.uid] = dropIn
                capped[account.uid] = cap
            }
        }
        caps = capped
        let plan = LoginDropInPlan.plan(wanted: wanted, present: files.present())
        guard plan.needsReload || reloadFailed else { return }
        var failures: [String] = []
        for uid in plan.write.keys.sorted() {
            if let problem = files.write(uid, plan.write[uid]!) { failures.append("cannot write the login cap of uid \(uid): \(problem)") }
        }
        for uid in plan.remove {
            if let problem = files.remove(uid) { failures.append("cannot remove the login cap of uid \(uid): \(problem)") }
        }
        let written = plan.write.count, removed = plan.remove.count
        events.record(DaemonEvent(.policyReloaded, "login caps (\(reason)): \(capped.count) accounts capped; \(written) drop-ins written, \(removed) removed; systemd re-reads its configuration"))
        for failure in failures { events.record(DaemonEvent(.error, failure)) }
        reloadSystemd()
    }

    /// One `daemon-reload` at a time; changes made while one runs get one more.
    private func reloadSystemd() {
        guard !reloading else { reloadAgain = true; return }
        reloading = true
        files.reloadSystemd { [self] problem in
            reloading = false
            reloadFailed = problem != nil
            if let problem {
                events.record(DaemonEvent(.error, "systemd did not re-read its configuration for the login caps: \(problem); fairshared tries again at the next policy reload"))
            }
            if reloadAgain {
                reloadAgain = false
                reloadSystemd()
            }
        }
    }
}
