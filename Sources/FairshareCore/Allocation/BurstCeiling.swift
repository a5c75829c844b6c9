/// The burst ceiling of a `lend` slice: how much CPU and memory it may use
/// while others leave them idle. Never below the grant, never above the
/// user's `max` nor the pool (and `fairshare.slice` is capped at the pool,
/// so all bursts together stay within it too).
public enum BurstCeiling {
    public static func of(grant: Capacity, burst: Burst, userMax: Capacity, pool: Capacity) -> Capacity {
        let wanted: Capacity
        switch burst {
        case .max:
            wanted = Capacity(cpu: .unlimited, mem: .unlimited)
        case .factor(let hundredths):
            wanted = Capacity(cpu: CPUQuantity(usecPerSecond: scaled(grant.cpu.usecPerSecond, hundredths)),
                              mem: ByteSize(bytes: scaled(grant.mem.bytes, hundredths)))
        case .amount(let cpu, let mem):
            wanted = Capacity(cpu: cpu ?? .unlimited, mem: mem ?? .unlimited)
        }
        let cpu = Swift.max(grant.cpu, Swift.min(wanted.cpu, userMax.cpu, pool.cpu))
        let mem = Swift.max(grant.mem, Swift.min(wanted.mem, userMax.mem, pool.mem))
        return Capacity(cpu: cpu, mem: mem)
    }

    /// `value × hundredths / 100`, saturating, without overflow.
    static func scaled(_ value: UInt64, _ hundredths: UInt64) -> UInt64 {
        let (high, low) = value.multipliedFullWidth(by: hundredths)
        guard high < 100 else { return .max }
        return UInt64(100).dividingFullWidth((high, low)).quotient
    }
}
