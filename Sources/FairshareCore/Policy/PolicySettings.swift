/// What one policy file says, or what all of them say once merged: every
/// key optional and tagged with its origin, so later files override
/// earlier ones key by key and `show-policy` can name each value's file.
public struct PolicySettings: Equatable, Sendable {
    public var global = ScopeLimits()
    public var users: [String: ScopeLimits] = [:]
    public var groups: [String: ScopeLimits] = [:]
    /// Where each user or group entry was first named, for warnings about
    /// accounts that do not exist.
    public var userEntries: [String: PolicyOrigin] = [:]
    public var groupEntries: [String: PolicyOrigin] = [:]
    public var adminGroup: Sourced<String>?
    public var readerGroup: Sourced<String>?
    public var reserveCPU: Sourced<CPUQuantity>?
    public var reserveMem: Sourced<ByteSize>?
    /// `min:`: the floor below which a shrunk default is refused.
    public var minCPU: Sourced<CPUQuantity>?
    public var minMem: Sourced<ByteSize>?
    public var cpuOvercommit: Sourced<Overcommit>?
    public var allocator: Sourced<FairShareRule>?
    public var idleRelease: Sourced<IdleRelease>?
    public var daemon = DaemonLimitSettings()
    /// `min_uid`, `max_uid`: the accounts whose login slices get `login:`.
    public var minUID: Sourced<UInt32>?
    public var maxUID: Sourced<UInt32>?
    /// `strays:`: processes outside both their login and fairshare slice.
    public var strays = StraySettings()
    /// `login_gpus`: whether logins may open GPUs the policy hands out.
    public var loginGPUs: Sourced<LoginGPUAccess>?
    /// `remote.gateway`: the system user whose uid may act on behalf of
    /// members (fairshare-remote); none: remote access is off.
    public var remoteGateway: Sourced<String>?

    public init() {}

    /// Applies `later` on top of this, key by key.
    public mutating func override(with later: PolicySettings) {
        global.override(with: later.global)
        for (name, scope) in later.users { users[name, default: ScopeLimits()].override(with: scope) }
        for (name, scope) in later.groups { groups[name, default: ScopeLimits()].override(with: scope) }
        userEntries.merge(later.userEntries) { earlier, _ in earlier }
        groupEntries.merge(later.groupEntries) { earlier, _ in earlier }
        adminGroup.override(with: later.adminGroup)
        readerGroup.override(with: later.readerGroup)
        reserveCPU.override(with: later.reserveCPU)
        reserveMem.override(with: later.reserveMem)
        minCPU.override(with: later.minCPU)
        minMem.override(with: later.minMem)
        cpuOvercommit.override(with: later.cpuOvercommit)
        allocator.override(with: later.allocator)
        idleRelease.override(with: later.idleRelease)
        daemon.override(with: later.daemon)
        minUID.override(with: later.minUID)
        maxUID.override(with: later.maxUID)
        strays.override(with: later.strays)
        loginGPUs.override(with: later.loginGPUs)
        remoteGateway.override(with: later.remoteGateway)
    }

    /// The limits of one scope, read or written by `admin set-*`.
    public subscript(scope: PolicyScope) -> ScopeLimits {
        get {
            switch scope {
            case .global: global
            case .user(let name): users[name] ?? ScopeLimits()
            case .group(let name): groups[name] ?? ScopeLimits()
            }
        }
        set {
            switch scope {
            case .global: global = newValue
            case .user(let name): users[name] = newValue.isEmpty ? nil : newValue
            case .group(let name): groups[name] = newValue.isEmpty ? nil : newValue
            }
        }
    }
}

/// Whose limits: everyone's (the global section), one user's, one group's.
public enum PolicyScope: Hashable, Sendable, CustomStringConvertible {
    case global
    case user(String)
    case group(String)

    public var description: String {
        switch self {
        case .global: "the global section"
        case .user(let name): "user '\(name)'"
        case .group(let name): "group '\(name)'"
        }
    }
}

/// How many times over CPU may be promised (`overcommit: {cpu: 2.0}`), in
/// hundredths so it compares and prints exactly.
public struct Overcommit: Hashable, Sendable, CustomStringConvertible {
    public var hundredths: UInt64
    public init(hundredths: UInt64) { self.hundredths = hundredths }
    public static let none = Overcommit(hundredths: 100)
    public var factor: Double { Double(hundredths) / 100 }
    public var description: String { Decimal2.format(hundredths: hundredths) }
}

/// `idle_release:` — a duration, or `off`.
public enum IdleRelease: Hashable, Sendable, CustomStringConvertible {
    case off
    case after(TimeSpan)

    public var span: TimeSpan? {
        if case .after(let span) = self { return span }
        return nil
    }

    public var description: String { span?.description ?? "off" }
}
