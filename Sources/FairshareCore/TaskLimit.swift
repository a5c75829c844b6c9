/// A limit on the number of tasks (processes and threads); systemd's
/// `TasksMax=`, where `infinity` is UInt64.max on the bus.
///
/// Range: the whole of UInt64, UInt64.max being `infinity`; no arithmetic
/// is done on it, only comparisons.
public struct TaskLimit: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var count: UInt64

    public init(_ count: UInt64) { self.count = count }
    public static let infinity = TaskLimit(UInt64.max)
    public var isInfinite: Bool { count == UInt64.max }

    public static func < (a: Self, b: Self) -> Bool { a.count < b.count }
    public var description: String { isInfinite ? "infinity" : "\(count)" }

    public static func parse(_ text: String) -> TaskLimit? {
        if text == "infinity" { return .infinity }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = UInt64(text) else { return nil }
        return TaskLimit(n)
    }
}
