/// Where a policy value was written: `show-policy` names it for every
/// effective value.
public struct PolicyOrigin: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    /// Of the key; line 0 for built-in values.
    public var location: SourceLocation

    public init(path: String, at location: SourceLocation) {
        self.path = path
        self.location = location
    }

    /// The value fairshare uses when no file sets one.
    public static let builtin = PolicyOrigin(path: "built-in", at: SourceLocation(line: 0, column: 0))

    public var isBuiltin: Bool { location.line == 0 }

    /// `path:line`, or `built-in`.
    public var description: String { isBuiltin ? path : "\(path):\(location.line)" }
}

/// A policy value and the file line it came from.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var origin: PolicyOrigin

    public init(_ value: Value, from origin: PolicyOrigin) {
        self.value = value
        self.origin = origin
    }
}

extension Sourced: Equatable where Value: Equatable {}

extension Optional {
    /// Key-by-key override: a later file's value, when it has one, wins.
    mutating func override<V>(with later: Sourced<V>?) where Wrapped == Sourced<V> {
        if let later { self = later }
    }
}
