/// Memory reclaim between `lend` slices (fairshare-policy(5), RECLAIM),
/// as a pure state machine fed readings: the daemon reads each lending
/// slice's memory use and `memory.pressure`, calls `evaluate`, and sets
/// `MemoryHigh=` to what each returned step says.
///
/// CPU needs nothing of the kind: weights give it back at once. Memory is
/// not compressible: `MemoryLow=` keeps a lender's pages from being
/// reclaimed, but a lender that wants to *grow* back to its grant while
/// borrowers hold the pool stalls in reclaim. So when a lender — a slice
/// at or below its grant — shows stalls (`some avg10` at or above
/// `stallThreshold`) while borrowers sit above their grant, every
/// borrower's `MemoryHigh=` comes down by one step (a quarter of what it
/// may borrow, at least `minStep`), starting from what it uses now and
/// never below its grant; at most one round per `interval`. Once no lender
/// has stalled for `clearFor`, the lowered ceilings go back up by a step
/// per `interval` until they are at the burst ceiling again.
public struct MemoryReclaim: Sendable {
    public struct Tuning: Hashable, Sendable {
        /// `some avg10` of `memory.pressure`, hundredths of a percent.
        public var stallThreshold: UInt64 = 100
        /// Seconds between two rounds of changes.
        public var interval: UInt64 = 2
        /// Seconds without stalls before ceilings go back up.
        public var clearFor: UInt64 = 10
        public var minStep: ByteSize = .mebibytes(16)
        public var stepDivisor: UInt64 = 4

        public init() {}
    }

    /// One lending slice as read now.
    public struct Slice: Hashable, Sendable {
        public var uid: UInt32
        public var grant: ByteSize
        public var ceiling: ByteSize
        public var inUse: ByteSize?
        /// `some avg10` of `memory.pressure`, hundredths of a percent.
        public var memoryPressure: UInt64?

        public init(uid: UInt32, grant: ByteSize, ceiling: ByteSize, inUse: ByteSize?, memoryPressure: UInt64?) {
            self.uid = uid
            self.grant = grant
            self.ceiling = ceiling
            self.inUse = inUse
            self.memoryPressure = memoryPressure
        }
    }

    /// One change of a borrower's `MemoryHigh=`.
    public struct Step: Hashable, Sendable {
        public enum Kind: String, Sendable { case lowered, restored }
        public var uid: UInt32
        public var kind: Kind
        public var from: ByteSize
        public var to: ByteSize
        /// The lenders whose stalls asked for it (lowering only).
        public var lenders: [UInt32]
    }

    public var tuning: Tuning
    /// Borrowers whose `MemoryHigh=` is below their burst ceiling.
    public private(set) var lowered: [UInt32: ByteSize] = [:]
    private var lastChange: UInt64?
    private var clearSince: UInt64?

    public init(tuning: Tuning = Tuning()) { self.tuning = tuning }

    public mutating func forget(_ uid: UInt32) { lowered[uid] = nil }

    /// The changes to make now (`now` in seconds on a monotonic clock).
    public mutating func evaluate(_ slices: [Slice], now: UInt64) -> [Step] {
        let present = Set(slices.map(\.uid))
        lowered = lowered.filter { present.contains($0.key) }
        let stalled = slices.filter { s in
            (s.memoryPressure ?? 0) >= tuning.stallThreshold && (s.inUse.map { $0 <= s.grant } ?? false)
        }.map(\.uid)
        if stalled.isEmpty {
            if clearSince == nil { clearSince = now }
        } else {
            clearSince = nil
        }
        if let last = lastChange, now < last.addingSaturating(tuning.interval) { return [] }
        var steps: [Step] = []
        for s in slices.sorted(by: { $0.uid < $1.uid }) where s.ceiling > s.grant {
            let current = lowered[s.uid] ?? s.ceiling
            let step = Swift.max(tuning.minStep, ByteSize(bytes: (s.ceiling - s.grant).bytes / Swift.max(1, tuning.stepDivisor)))
            if !stalled.isEmpty {
                guard let used = s.inUse, used > s.grant else { continue }
                let target = Swift.max(s.grant, Swift.min(current, used) - step)
                guard target < current else { continue }
                lowered[s.uid] = target
                steps.append(Step(uid: s.uid, kind: .lowered, from: current, to: target, lenders: stalled))
            } else if let low = lowered[s.uid], let since = clearSince, now >= since.addingSaturating(tuning.clearFor) {
                let target = Swift.min(s.ceiling, low + step)
                lowered[s.uid] = target < s.ceiling ? target : nil
                steps.append(Step(uid: s.uid, kind: .restored, from: low, to: target, lenders: []))
            }
        }
        if !steps.isEmpty { lastChange = now }
        return steps
    }
}
