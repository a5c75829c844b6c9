/// One problem found in the policy, pointed at like a compiler does:
///
///     /etc/fairshare/policy.d/50-lab.yaml:4:7: error: unknown key 'memory' in 'max'; did you mean 'mem'?
///         memory: 8G
///         ^
public struct PolicyDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public var severity: Severity
    public var path: String
    /// Nil for problems of a whole file or of the merged policy.
    public var location: SourceLocation?
    public var message: String
    /// The offending line, for the caret display.
    public var sourceLine: String?

    public init(_ severity: Severity, path: String, at location: SourceLocation?, _ message: String, sourceLine: String? = nil) {
        self.severity = severity
        self.path = path
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
    }

    public var isError: Bool { severity == .error }

    /// `path:line:col: error: message`, the first line of `description`.
    public var headline: String {
        let place = location.map { "\(path):\($0.line):\($0.column)" } ?? path
        return "\(place): \(severity.rawValue): \(message)"
    }

    /// The headline, then the line and a caret under the column.
    public var description: String {
        guard let location, let sourceLine else { return headline }
        let shown = String(sourceLine.unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
        let caret = String(repeating: " ", count: max(0, location.column - 1)) + "^"
        return "\(headline)\n    \(shown)\n    \(caret)"
    }
}

extension [PolicyDiagnostic] {
    public var errors: [PolicyDiagnostic] { filter(\.isError) }
    public var warnings: [PolicyDiagnostic] { filter { !$0.isError } }

    /// Every diagnostic, one after the other, as `admin check` prints them.
    public var report: String { map(\.description).joined(separator: "\n") }
}
