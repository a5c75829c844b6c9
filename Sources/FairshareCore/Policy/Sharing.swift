/// `sharing:` — what an allocation is (fairshare-policy(5), ALLOCATION).
///
/// `strict`: a ceiling. The slice gets `CPUQuota=` and `MemoryMax=` at the
/// grant; what one user leaves idle nobody else may use.
///
/// `lend`: a guarantee. The slice gets `CPUWeight=` and `IOWeight=` in
/// proportion to the granted CPUs and `MemoryLow=` at the granted memory;
/// its ceilings sit at the burst limit (`burst:`), so it may use what
/// others leave idle and gives it back when they want it. Admission is
/// the same in both: fairdist, `max` and the pool admit guarantees.
public enum Sharing: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case strict
    case lend

    public var description: String { rawValue }
}
