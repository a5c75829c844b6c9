/// `login_gpus:` — whether logins (ssh, `su -l`, desktop) may open the
/// machine's GPUs while the policy hands GPUs out (fairshare-policy(5),
/// GPUS IN LOGINS). `closed`, the default, leaves a GPU to whoever holds
/// it through `fairshare exec`/`run`; `open` keeps logins as they were.
/// Without `gpus` anywhere in the policy it changes nothing: no device
/// policy is set at all.
public enum LoginGPUAccess: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case open
    case closed

    public static let builtin = LoginGPUAccess.closed

    public var description: String { rawValue }
}

extension Policy {
    /// `login_gpus`, or its built-in `closed`.
    public var loginGPUs: LoginGPUAccess { settings.loginGPUs?.value ?? .builtin }

    /// Whether every login slice in `min_uid`..`max_uid` gets the device
    /// policy that closes GPUs: the policy hands out GPUs and does not
    /// keep them open to logins.
    public var closesGPUsToLogins: Bool { managesGPUs && loginGPUs == .closed }
}
