/// Reads the policy format of the seed's §7.1 — top-level `defaults:`,
/// `max:` (each a block of `cpu`/`mem`/`tasks`) and `admin_group:` — with
/// `path:line:column` errors. Interim: the full YAML-subset parser replaces it.
public enum InterimPolicyReader {
    public struct Settings: Equatable, Sendable {
        public var defaults = ResourceRequest()
        public var max = ResourceRequest()
        public var adminGroup: String?
        public var readerGroup: String?
        public var reserve = ResourceRequest()
        public var cpuOvercommit: Double?
        public var allocator: FairShareRule?
        public var idleRelease: TimeSpan?
        public init() {}
    }

    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "\(path):\(line):\(column): error: \(message)" }
    }

    /// Reads one file on top of `settings` (later files override key by key).
    public static func read(_ bytes: [UInt8], path: String, into settings: inout Settings) throws(Failure) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(path: path, line: 1, column: 1, message: "file is not valid UTF-8")
        }
        var section: String?
        var sectionIndent = 0
        var seen: Set<String> = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if let hash = commentStart(line) { line = line[..<hash] }
            while line.last == " " { line = line.dropLast() }
            if line.isEmpty || line == "---" { continue }
            let indent = line.prefix(while: { $0 == " " }).count
            if line.dropFirst(indent).first == "\t" || line.prefix(indent + 1).contains("\t") {
                throw Failure(path: path, line: lineNo, column: indent + 1, message: "tab in indentation")
            }
            let body = line.dropFirst(indent)
            guard let colon = body.firstIndex(of: ":") else {
                throw Failure(path: path, line: lineNo, column: indent + 1, message: "expected 'key: value'")
            }
            let key = String(body[..<colon])
            let value = body[body.index(after: colon)...].trimmingPrefix(" ")
            let valueColumn = indent + key.count + 1 + (body.count - key.count - 1 - value.count) + 1
            func fail(_ m: String, column: Int? = nil) -> Failure {
                Failure(path: path, line: lineNo, column: column ?? indent + 1, message: m)
            }
            if indent == 0 {
                guard !seen.contains(key) else { throw fail("duplicate key '\(key)'") }
                seen.insert(key)
                section = nil
                switch key {
                case "defaults", "default", "max", "reserve", "overcommit":
                    guard value.isEmpty else { throw fail("'\(key)' takes an indented block of keys", column: valueColumn) }
                    section = key == "default" ? "defaults" : key
                    sectionIndent = 0
                case "idle_release":
                    guard let span = TimeSpan.parse(String(value)), span.seconds > 0 else {
                        throw fail("invalid duration '\(value)' (expected e.g. 90s, 30m, 2h)", column: valueColumn)
                    }
                    settings.idleRelease = span
                case "allocator":
                    guard let rule = FairShareRule(rawValue: String(value)) else {
                        throw fail("invalid allocator '\(value)' (expected polynomial, quasilinear or none)", column: valueColumn)
                    }
                    settings.allocator = rule
                case "admin_group", "reader_group":
                    guard isValidName(value) else { throw fail("invalid group name '\(value)'", column: valueColumn) }
                    if key == "admin_group" { settings.adminGroup = String(value) } else { settings.readerGroup = String(value) }
                default:
                    throw fail("unknown key '\(key)' (known: defaults, max, reserve, overcommit, allocator, idle_release, admin_group, reader_group)")
                }
                continue
            }
            guard let current = section else { throw fail("unexpected indentation") }
            if sectionIndent == 0 { sectionIndent = indent }
            guard indent == sectionIndent else { throw fail("inconsistent indentation") }
            let scopedKey = current + "." + key
            guard !seen.contains(scopedKey) else { throw fail("duplicate key '\(key)'") }
            seen.insert(scopedKey)
            if current == "overcommit" {
                guard key == "cpu" else { throw fail("unknown key '\(key)' in 'overcommit' (known: cpu)") }
                guard let factor = Double(String(value)), factor >= 1, factor <= 1000 else {
                    throw fail("invalid overcommit factor '\(value)' (expected a number from 1, e.g. 2.0)", column: valueColumn)
                }
                settings.cpuOvercommit = factor
                continue
            }
            var target = current == "max" ? settings.max : current == "reserve" ? settings.reserve : settings.defaults
            if current == "reserve" && key == "tasks" { throw fail("unknown key 'tasks' in 'reserve' (known: cpu, mem)") }
            switch key {
            case "cpu":
                guard let q = CPUQuantity.parse(String(value)), q.usecPerSecond > 0 else {
                    throw fail("invalid CPU amount '\(value)' (expected e.g. 2, 0.5 or 150%)", column: valueColumn)
                }
                target.cpu = q
            case "mem":
                if value == "infinity" { target.mem = ByteSize(bytes: .max) }
                else {
                    guard let s = ByteSize.parse(String(value)), s.bytes > 0 else {
                        throw fail("invalid size '\(value)' (expected e.g. 512M, 8G)", column: valueColumn)
                    }
                    target.mem = s
                }
            case "tasks":
                guard let t = TaskLimit.parse(String(value)), t.count > 0 else {
                    throw fail("invalid task count '\(value)' (expected a positive number or infinity)", column: valueColumn)
                }
                target.tasks = t
            default:
                throw fail("unknown key '\(key)' in '\(current)' (known: cpu, mem, tasks)")
            }
            switch current {
            case "max": settings.max = target
            case "reserve": settings.reserve = target
            default: settings.defaults = target
            }
        }
    }

    /// A `#` that starts a comment: at the line start or after a space.
    static func commentStart(_ line: Substring) -> Substring.Index? {
        var previous: Character = " "
        for i in line.indices {
            if line[i] == "#" && previous == " " { return i }
            previous = line[i]
        }
        return nil
    }

    static func isValidName(_ s: Substring) -> Bool {
        guard let first = s.first, first == "_" || ("a"..."z").contains(first), s.count <= 32 else { return false }
        return s.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}
