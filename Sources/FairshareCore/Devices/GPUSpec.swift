/// A policy's `gpus:` value: how many GPUs, or which ones.
public enum GPUSpec: Hashable, Sendable, CustomStringConvertible {
    /// Any `n` of the machine's GPUs.
    case count(Int)
    /// Exactly these device nodes (`[/dev/nvidia0, /dev/nvidia1]`); a
    /// request may have any of them.
    case devices([String])
    /// Every GPU the machine has (the built-in `max`).
    case all

    /// The most GPUs a policy or a request may name.
    public static let maxCount = 4096

    /// How many; `.all` is unbounded (the machine's count bounds it).
    public var count: Int {
        switch self {
        case .count(let n): n
        case .devices(let list): list.count
        case .all: Int.max
        }
    }

    /// The devices a user may be given, when the policy names them.
    public var allowedDevices: [String]? {
        if case .devices(let list) = self { return list }
        return nil
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n)"
        case .devices(let list): "[\(list.joined(separator: ", "))]"
        case .all: "all"
        }
    }
}
