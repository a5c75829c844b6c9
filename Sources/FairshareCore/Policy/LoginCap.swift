/// One account's effective `login:` cap, each key with the file line it
/// came from; a nil key is not capped by fairshare (systemd's and
/// Debian's settings for `user-UID.slice` stay). A key set to `infinity`
/// is a cap lifted on purpose (a user's entry over a global cap).
public struct LoginCap: Equatable, Sendable {
    public var cpu: Sourced<CPUQuantity>?
    public var mem: Sourced<ByteSize>?
    public var tasks: Sourced<TaskLimit>?
    public var io: Sourced<IOLimits>?

    public init(cpu: Sourced<CPUQuantity>? = nil, mem: Sourced<ByteSize>? = nil, tasks: Sourced<TaskLimit>? = nil, io: Sourced<IOLimits>? = nil) {
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.io = io
    }

    public static let none = LoginCap()

    public var isEmpty: Bool { cpu == nil && mem == nil && tasks == nil && io == nil }

    /// "cpu 0.5, mem 256M, tasks 100", or "-" when nothing is capped.
    public var summary: String {
        var parts: [String] = []
        if let cpu { parts.append("cpu \(cpu.value.isUnlimited ? "infinity" : cpu.value.description)") }
        if let mem { parts.append("mem \(mem.value)") }
        if let tasks { parts.append("tasks \(tasks.value)") }
        if let io { parts.append("io \(io.value.summary)") }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// `limits`' keys over these, key by key.
    mutating func override(with limits: ResourceLimits) {
        cpu.override(with: limits.cpu)
        mem.override(with: limits.mem)
        tasks.override(with: limits.tasks)
        io.override(with: limits.io)
    }
}

extension Policy {
    /// The login cap of `user` (uid `uid`, a member of `groups`): their own
    /// `login:`, over their groups' (the most generous value of each key,
    /// as for `max:`), over the global `login:` — fairshare-policy(5),
    /// PRECEDENCE. Membership of group fairshare plays no part. Nothing
    /// for a uid outside `min_uid`..`max_uid`.
    public func loginCap(user: String, uid: UInt32, groups: [String]) -> LoginCap {
        guard capsLogins(ofUID: uid) else { return .none }
        var cap = LoginCap.none
        cap.override(with: settings.global.login)
        let groupScopes = groups.sorted().compactMap { settings.groups[$0]?.login }.filter { !$0.isEmpty }
        if !groupScopes.isEmpty { cap.override(with: ResourceLimits.mostGenerous(groupScopes)) }
        if let own = settings.users[user]?.login { cap.override(with: own) }
        return cap
    }
}
