/// Typed policy values read from a scalar's text. Each reader returns the
/// value or says, in words an administrator can act on, what is wrong.
public enum PolicyValue {
    /// What is wrong with a value; the reader adds the file position.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    /// CPUs: `2`, `0.5`, `150%` (of one CPU); `infinity` where allowed.
    public static func cpu(_ text: String, allowInfinity: Bool, allowZero: Bool = false) throws(Problem) -> CPUQuantity {
        if text == "infinity" {
            guard allowInfinity else { throw Problem("'infinity' is only allowed in 'max:' and 'login:'") }
            return .unlimited
        }
        try rejectSign(text)
        guard let value = CPUQuantity.parse(text), value < .unlimited else {
            throw Problem("invalid CPU amount '\(text)'; expected a number of CPUs such as 2, 0.5 or 150%" + (allowInfinity ? ", or infinity" : ""))
        }
        if !allowZero { try rejectZero(value == .zero) }
        return value
    }

    /// Sizes: `512M`, `8G`, `1.5G`, `8GiB`, a number of bytes; K, M, G, T
    /// are powers of 1024, as systemd reads them.
    public static func size(_ text: String, allowInfinity: Bool, allowZero: Bool = false) throws(Problem) -> ByteSize {
        if text == "infinity" {
            guard allowInfinity else { throw Problem("'infinity' is only allowed in 'max:' and 'login:'") }
            return .unlimited
        }
        try rejectSign(text)
        guard let value = ByteSize.parse(text), !value.isUnlimited else {
            throw Problem("invalid size '\(text)'; expected e.g. 512M, 8G, 1.5G or 8GiB (K, M, G, T are powers of 1024)" + (allowInfinity ? ", or infinity" : ""))
        }
        if !allowZero { try rejectZero(value == .zero) }
        return value
    }

    /// A number of tasks (processes and threads), or `infinity`.
    public static func tasks(_ text: String) throws(Problem) -> TaskLimit {
        try rejectSign(text)
        guard let value = TaskLimit.parse(text) else {
            throw Problem("invalid task count '\(text)'; expected a whole number such as 1024, or infinity")
        }
        try rejectZero(value.count == 0)
        return value
    }

    /// A whole number from 1 (0 with `allowZero`) to `max`: connections,
    /// requests.
    public static func count(_ text: String, what: String, example: String, allowZero: Bool, max: UInt64) throws(Problem) -> UInt64 {
        try rejectSign(text)
        guard let n = UInt64(text) else {
            throw Problem("invalid \(what) '\(text)'; expected a whole number such as \(example)")
        }
        if !allowZero { try rejectZero(n == 0) }
        guard n <= max else { throw Problem("\(what) \(n) is more than \(max), the most allowed") }
        return n
    }

    /// `io.weight`: 1 to 10000, as systemd's IOWeight=.
    public static func ioWeight(_ text: String) throws(Problem) -> UInt64 {
        guard let n = UInt64(text), IOLimits.weightRange.contains(n) else {
            throw Problem("invalid IO weight '\(text)'; expected a whole number from 1 to 10000 (systemd's default is 100)")
        }
        return n
    }

    /// A per-device IO limit: bytes per second (`50M`) or operations per
    /// second (`1000`).
    public static func ioRate(_ text: String, bandwidth: Bool) throws(Problem) -> UInt64 {
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        if bandwidth { return try size(number, allowInfinity: false).bytes }
        try rejectSign(text)
        guard let n = UInt64(number) else {
            throw Problem("invalid IOPS limit '\(text)'; expected a whole number of operations per second such as 1000")
        }
        try rejectZero(n == 0)
        return n
    }

    /// `gpus: N`: a whole number, 0 allowed.
    public static func gpuCount(_ text: String) throws(Problem) -> GPUSpec {
        guard let n = Int(text), n >= 0, n <= GPUSpec.maxCount else {
            throw Problem("invalid GPU count '\(text)'; expected a whole number such as 0 or 2, or a list of device paths")
        }
        return .count(n)
    }

    /// A device for the policy's `io:` and `gpus:` keys and the client's
    /// `--io-*` options: a `DevicePath` under /dev.
    public static func devicePath(_ path: String) throws(Problem) -> DevicePath {
        guard path.hasPrefix("/dev/") else { throw Problem("'\(path)' is not a device path; write one under /dev, such as /dev/vda or /dev/nvidia0") }
        do {
            return try DevicePath(checking: path, field: "device")
        } catch {
            throw Problem("'\(path)' is not a plain device path: " + (error.position.map { "character \($0): " } ?? "") + error.reason)
        }
    }

    /// `90s`, `30m`, `2h`, `1d`, `1h30m`.
    public static func duration(_ text: String) throws(Problem) -> TimeSpan {
        try rejectSign(text)
        guard let value = TimeSpan.parse(text) else {
            throw Problem("invalid duration '\(text)'; expected e.g. 90s, 30m, 2h, 1d or 1h30m")
        }
        try rejectZero(value.seconds == 0)
        return value
    }

    /// `idle_release:` — a duration, or `off`.
    public static func idleRelease(_ text: String) throws(Problem) -> IdleRelease {
        if text == "off" { return .off }
        do {
            return .after(try duration(text))
        } catch {
            throw Problem(error.message + ", or off")
        }
    }

    /// `login_gpus:` — `open` or `closed`.
    public static func loginGPUs(_ text: String) throws(Problem) -> LoginGPUAccess {
        guard let access = LoginGPUAccess(rawValue: text) else {
            throw Problem("invalid login_gpus '\(text)'; expected open (logins may open the GPUs) or closed (only through fairshare exec and run)")
        }
        return access
    }

    /// `true` or `false`, nothing else: YAML 1.1's `yes`, `on` and friends
    /// read differently in different tools, so they are refused.
    public static func boolean(_ text: String) throws(Problem) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem("invalid boolean '\(text)'; write true or false")
        }
    }

    /// `overcommit: {cpu: …}`: a factor from 1 to 1000, two decimals.
    public static func overcommit(_ text: String) throws(Problem) -> Overcommit {
        try rejectSign(text)
        guard let hundredths = FixedPoint.parse(text, scale: 100), hundredths >= 100, hundredths <= 100_000 else {
            throw Problem("invalid overcommit factor '\(text)'; expected a number from 1 to 1000 such as 2.0 (at most two decimals)")
        }
        return Overcommit(hundredths: hundredths)
    }

    /// `sharing: strict | lend`.
    public static func sharing(_ text: String) throws(Problem) -> Sharing {
        guard let mode = Sharing(rawValue: text) else {
            let hint = KeySuggestion.nearest(to: text, in: Sharing.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            throw Problem("unknown sharing '\(text)' (known: strict, lend)\(hint)")
        }
        return mode
    }

    /// `burst: max` or `burst: 2x` (a factor of the grant, 1x to 1000x, two
    /// decimals); the mapping form `{cpu: 2, mem: 4G}` is read by the file reader.
    public static func burst(_ text: String) throws(Problem) -> Burst {
        if text == "max" { return .max }
        try rejectSign(text)
        guard text.hasSuffix("x"), let h = FixedPoint.parse(String(text.dropLast()), scale: 100), h >= 100, h <= Burst.maxFactorHundredths else {
            throw Problem("invalid burst '\(text)'; expected max, a factor of the grant from 1x to 1000x such as 2x or 1.5x, or amounts such as {cpu: 2, mem: 4G}")
        }
        return .factor(hundredths: h)
    }

    public static func allocator(_ text: String) throws(Problem) -> FairShareRule {
        try oneOf(text, what: "allocator")
    }

    /// One of an enumeration's names, or an error listing them (and the
    /// nearest, for a typo).
    private static func oneOf<T: RawRepresentable & CaseIterable>(_ text: String, what: String) throws(Problem) -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            let known = T.allCases.map(\.rawValue)
            let hint = KeySuggestion.nearest(to: text, in: known).map { "; did you mean '\($0)'?" } ?? ""
            throw Problem("unknown \(what) '\(text)' (known: \(known.joined(separator: ", ")))\(hint)")
        }
        return value
    }

    /// `min_uid`, `max_uid`: a uid from 1 to 61183. Root (0) is never
    /// capped, and neither are systemd's dynamic users (61184 to 65519)
    /// nor anything above them (nobody, container ranges).
    public static func loginUID(_ text: String, key: String) throws(Problem) -> UInt32 {
        try rejectSign(text)
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let uid = UInt32(text) else {
            throw Problem("invalid uid '\(text)' for \(key); expected a whole number such as \(key == "min_uid" ? LoginAccounts.defaultRange.lowerBound : LoginAccounts.defaultRange.upperBound)")
        }
        if uid == 0 { throw Problem("uid 0 is root's, whose logins are never capped; \(key) is at least 1") }
        guard uid < LoginAccounts.dynamicUsers.lowerBound else {
            throw Problem("uid \(uid) is at or above systemd's dynamic users (\(LoginAccounts.dynamicUsers.lowerBound)-\(LoginAccounts.dynamicUsers.upperBound)), "
                          + "which login caps never touch; \(key) is at most \(LoginAccounts.dynamicUsers.lowerBound - 1)")
        }
        return uid
    }

    /// `strays.mode`: report, adopt or off.
    public static func strayMode(_ text: String) throws(Problem) -> StrayMode {
        try oneOf(text, what: "strays mode")
    }

    /// `strays.interval`: 1 s to 10 s, so a stray is found within 10 s.
    public static func strayInterval(_ text: String) throws(Problem) -> TimeSpan {
        let span = try duration(text)
        guard span >= StrayPolicy.minInterval, span <= StrayPolicy.maxInterval else {
            throw Problem("strays interval \(span) is outside \(StrayPolicy.minInterval) to \(StrayPolicy.maxInterval); the default is \(StrayPolicy.maxInterval)")
        }
        return span
    }

    /// One pattern of `strays.ignore`.
    public static func unitGlob(_ text: String) throws(Problem) -> UnitGlob {
        do {
            return try UnitGlob(checking: text)
        } catch {
            switch error {
            case .empty: throw Problem("an empty unit name pattern; write e.g. cron.service or 'docker-*.scope'")
            case .tooLong: throw Problem("unit name pattern '\(text)' is longer than \(UnitGlob.maxLength) characters")
            case .invalidCharacter(let ch):
                throw Problem("unit name pattern '\(text)' holds '\(ch)'; unit names have letters, digits, ':-_.\\@' and the patterns '*' and '?'")
            }
        }
    }

    /// A user or group name, validated as Debian's useradd does.
    public static func accountName(_ text: String, kind: String) throws(Problem) -> String {
        if let problem = AccountName.problem(text) { throw Problem("invalid \(kind) name '\(text)': it \(problem)") }
        return text
    }

    private static func rejectSign(_ text: String) throws(Problem) {
        if text.hasPrefix("-") { throw Problem("'\(text)' is negative; the value must be more than 0") }
        if text.hasPrefix("+") { throw Problem("'\(text)': write the number without '+'") }
    }

    private static func rejectZero(_ isZero: Bool) throws(Problem) {
        if isZero { throw Problem("the value is 0; it must be more than 0") }
    }
}
