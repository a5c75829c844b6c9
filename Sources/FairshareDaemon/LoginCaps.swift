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
///
/// When the policy hands out GPUs and does not say `login_gpus: open`,
/// the same drop-in (written for every account in the range, capped or
/// not) closes the GPUs to logins: `DevicePolicy=closed` and every other
/// driver allowed (`LoginDeviceRules`, fairshare-policy(5), GPUS IN
/// LOGINS).
public final class LoginCaps {
    let files: LoginCapFiles
    /// NSS accounts with a uid in the range.
    let accounts: (ClosedRange<UInt32>) -> [(name: String, uid: UInt32)]
    let groupLookup: (String) -> [String]?
    let events: any EventLog
    /// This machine's device rules for logins, read when GPUs are closed.
    let deviceRules: () -> (rules: LoginDeviceRules, problem: String?)
    /// The caps in force, by uid.
    public private(set) var caps: [UInt32: LoginCap] = [:]
    /// Whether the drop-ins close GPUs to the logins of `min_uid`..`max_uid`.
    public private(set) var gpusClosed = false
    /// The policy last applied and its device rules, for accounts that
    /// appear later (`accountAppeared`).
    private var policy: Policy?
    private var rules: LoginDeviceRules?
    /// Every uid looked at by the last `apply` or since: a later login
    /// of one of them changes nothing.
    private var known: Set<UInt32> = []
    private var reloading = false
    private var reloadAgain = false
    /// The last reload failed: the next `apply` reloads even when no file changes.
    private var reloadFailed = false
    /// uids whose drop-in changed since the last reload began: their live
    /// slices are settled after it (`LiveSliceSettling`).
    private var changedSinceReload: Set<UInt32> = []

    public init(files: LoginCapFiles, accounts: @escaping (ClosedRange<UInt32>) -> [(name: String, uid: UInt32)],
                groupLookup: @escaping (String) -> [String]?, events: any EventLog,
                deviceRules: @escaping () -> (rules: LoginDeviceRules, problem: String?) = { (LoginDeviceRules(drivers: [], nodes: []), nil) }) {
        self.files = files
        self.accounts = accounts
        self.groupLookup = groupLookup
        self.events = events
        self.deviceRules = deviceRules
    }

    /// Brings the drop-ins in line with `policy`; `reason` names the
    /// occasion for the journal ("start", "policy reload by root").
    public func apply(_ policy: Policy, reason: String) {
        var wanted: [UInt32: UnitDropIn] = [:]
        var capped: [UInt32: LoginCap] = [:]
        var deviceProblem: String?
        rules = nil
        if policy.closesGPUsToLogins, policy.loginUIDs != nil {
            let read = deviceRules()
            rules = read.rules
            deviceProblem = read.problem
        }
        known = []
        if policy.setsLoginCaps || rules != nil, let uids = policy.loginUIDs {
            for account in accounts(uids) {
                known.insert(account.uid)
                let cap = policy.loginCap(user: account.name, uid: account.uid, groups: groupLookup(account.name) ?? [])
                guard let dropIn = LoginDropIn.render(cap, uid: account.uid, devices: rules) else { continue }
                wanted[account.uid] = dropIn
                if !cap.isEmpty { capped[account.uid] = cap }
            }
        }
        self.policy = policy
        caps = capped
        gpusClosed = rules != nil
        if let deviceProblem { events.record(DaemonEvent(.error, "login device policy: \(deviceProblem)")) }
        let plan = LoginDropInPlan.plan(wanted: wanted, present: files.present())
        guard plan.needsReload || reloadFailed else { return }
        var failures: [String] = []
        for uid in plan.write.keys.sorted() {
            if let problem = files.write(uid, plan.write[uid]!) { failures.append("cannot write the login cap of uid \(uid): \(problem)") }
        }
        for uid in plan.remove {
            if let problem = files.remove(uid) { failures.append("cannot remove the login cap of uid \(uid): \(problem)") }
        }
        changedSinceReload.formUnion(plan.write.keys)
        changedSinceReload.formUnion(plan.remove)
        let written = plan.write.count, removed = plan.remove.count
        let devices = rules.map { "; GPUs closed to logins (\($0.drivers.count) drivers and \($0.nodes.count) nodes allowed, closed: \($0.closedDrivers.joined(separator: " ")))" } ?? ""
        events.record(DaemonEvent(.policyReloaded, "login caps (\(reason)): \(capped.count) accounts capped\(devices); \(written) drop-ins written, \(removed) removed; systemd re-reads its configuration"))
        for failure in failures { events.record(DaemonEvent(.error, failure)) }
        reloadSystemd()
    }

    /// logind's `UserNew` for `uid` (a user's first session since none):
    /// an account created after the last `apply` gets its drop-in now,
    /// with one `daemon-reload`, which also applies it to the slice that
    /// just started. An account seen before changes nothing, so a login
    /// costs no file and no reload.
    public func accountAppeared(uid: UInt32, name: String?) {
        guard let policy, !known.contains(uid), policy.capsLogins(ofUID: uid) else { return }
        known.insert(uid)
        guard let name, policy.setsLoginCaps || rules != nil else { return }
        let cap = policy.loginCap(user: name, uid: uid, groups: groupLookup(name) ?? [])
        guard let dropIn = LoginDropIn.render(cap, uid: uid, devices: rules), files.present()[uid] != dropIn.text else { return }
        if !cap.isEmpty { caps[uid] = cap }
        if let problem = files.write(uid, dropIn) {
            events.record(DaemonEvent(.error, "cannot write the login cap of uid \(uid): \(problem)"))
            return
        }
        changedSinceReload.insert(uid)
        events.record(DaemonEvent(.policyReloaded, "login caps: new account \(name) (uid \(uid)) logged in; drop-in written, systemd re-reads its configuration"))
        reloadSystemd()
    }

    /// One `daemon-reload` at a time; changes made while one runs get one more.
    private func reloadSystemd() {
        guard !reloading else { reloadAgain = true; return }
        reloading = true
        let changed = changedSinceReload
        changedSinceReload = []
        files.reloadSystemd { [self] problem in
            reloading = false
            reloadFailed = problem != nil
            if let problem {
                changedSinceReload.formUnion(changed)
                events.record(DaemonEvent(.error, "systemd did not re-read its configuration for the login caps: \(problem); fairshared tries again at the next policy reload"))
            } else if !changed.isEmpty {
                files.settle(changed) { [events] _, failures in
                    for failure in failures { events.record(DaemonEvent(.error, "login caps: \(failure)")) }
                }
            }
            if reloadAgain {
                reloadAgain = false
                reloadSystemd()
            }
        }
    }
}
