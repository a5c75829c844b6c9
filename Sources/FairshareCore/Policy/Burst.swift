/// `burst:` — how far a `lend` slice may go above its grant with what
/// others leave idle. Whatever it says, the ceiling is at least the grant
/// and at most the user's `max` and the pool (`BurstCeiling`).
public enum Burst: Hashable, Sendable, CustomStringConvertible {
    /// `burst: max`: up to the user's `max` and the pool (the default).
    case max
    /// `burst: 2x`: the grant times a factor, in hundredths (1x to 1000x).
    case factor(hundredths: UInt64)
    /// `burst: {cpu: 2, mem: 4G}`: absolute ceilings; an unset key is `max`.
    case amount(cpu: CPUQuantity?, mem: ByteSize?)

    public static let maxFactorHundredths: UInt64 = 100_000

    public var description: String {
        switch self {
        case .max: "max"
        case .factor(let h): Decimal2.format(hundredths: h) + "x"
        case .amount(let cpu, let mem):
            "{" + [cpu.map { "cpu: \($0)" }, mem.map { "mem: \($0)" }].compactMap { $0 }.joined(separator: ", ") + "}"
        }
    }

    /// How generous this is, for choosing among a user's groups (the most
    /// generous wins): `max` first, then the larger absolute CPU, then the
    /// larger factor.
    var generosity: (UInt8, UInt64, UInt64) {
        switch self {
        case .max: (2, 0, 0)
        case .amount(let cpu, let mem): (1, cpu?.usecPerSecond ?? .max, mem?.bytes ?? .max)
        case .factor(let h): (0, h, 0)
        }
    }

    /// The larger of two settings by `generosity`.
    static func moreGenerous(_ a: Burst, _ b: Burst) -> Bool { a.generosity > b.generosity }
}
