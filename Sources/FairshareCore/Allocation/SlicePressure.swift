/// Pressure stall information of one cgroup (`cpu.pressure`,
/// `memory.pressure`, `io.pressure`): the share of the last 10 s in which
/// some of its tasks waited for the resource (`some avg10`), in hundredths
/// of a percent so it compares and prints exactly (`1.52` % → 152), and
/// the memory stall total in µs. Nil where the file is missing (no PSI in
/// the kernel, `psi=0`).
public struct SlicePressure: Hashable, Sendable {
    public var cpu: UInt64?
    public var memory: UInt64?
    public var io: UInt64?

    public init(cpu: UInt64? = nil, memory: UInt64? = nil, io: UInt64? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.io = io
    }

    /// `some avg10` of one PSI file's text:
    /// `some avg10=1.52 avg60=0.40 avg300=0.08 total=123456`.
    public static func someAvg10(_ text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix("some ") {
            for field in line.split(separator: " ") where field.hasPrefix("avg10=") {
                return FixedPoint.parse(String(field.dropFirst(6)), scale: 100)
            }
        }
        return nil
    }

    /// "1.52" (percent, two decimals at most), or "-" when unknown.
    public static func format(_ hundredths: UInt64?) -> String {
        hundredths.map { Decimal2.format(hundredths: $0) } ?? "-"
    }
}
