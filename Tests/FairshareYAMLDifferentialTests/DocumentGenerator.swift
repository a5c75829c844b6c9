/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose numbers are
/// the same on every platform and Swift version, so a failing seed
/// reproduces anywhere.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n (the modulo bias is irrelevant here).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A random document in the subset and the tree it stands for: random
/// nesting of mappings, lists and scalars, block or flow style, indentation
/// widths 1–4, a quoting style that can represent each string, comments and
/// blank lines, document markers, CRLF and a BOM now and then.
struct DocumentGenerator {
    struct Document {
        var bytes: [UInt8]
        var tree: UntypedTree
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Where a scalar is written: the characters a plain scalar may hold
    /// differ inside `[ ]` / `{ }`.
    enum Context { case block, flow }

    private var rng: SplitMix64
    private let maximumDepth: Int

    private init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        maximumDepth = 2 + Int(seed % 3)
    }

    static func document(seed: UInt64) -> Document {
        var generator = DocumentGenerator(seed: seed)
        return generator.document()
    }

    // MARK: - trees

    private mutating func document() -> Document {
        let tree: UntypedTree = switch rng.below(10) {
        case 0: .scalar(scalarText())
        case 1, 2: list(depth: 0)
        default: mapping(depth: 0)
        }
        var lines: [String] = []
        if rng.chance(20) { lines += [comment(indent: 0)] }
        let marker = rng.chance(25)
        if marker { lines.append(rng.chance(30) ? "--- " + comment(indent: 0) : "---") }
        lines += root(tree)
        let rootIsEmpty = tree == .scalar("")
        if rng.chance(15) && (marker || !rootIsEmpty) {
            lines.append("...")
            if rng.chance(50) { lines.append(comment(indent: rng.int(0...2))) }
        } else if rng.chance(20) {
            lines += filler(indent: 0)
        }
        let newline = rng.chance(15) ? "\r\n" : "\n"
        var text = lines.joined(separator: newline)
        if rng.chance(85) { text += newline }
        var bytes = Array(text.utf8)
        if rng.chance(10) { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        return Document(bytes: bytes, tree: tree)
    }

    private mutating func node(depth: Int) -> UntypedTree {
        let roll = rng.below(100)
        if depth >= maximumDepth || roll < 45 { return .scalar(scalarText()) }
        return roll < 75 ? mapping(depth: depth) : list(depth: depth)
    }

    private mutating func mapping(depth: Int) -> UntypedTree {
        let count = rng.chance(8) ? 0 : rng.int(1...5)
        var keys = Set<String>()
        var pairs: [UntypedTree.Pair] = []
        while pairs.count < count {
            let key = keyText()
            guard keys.insert(key).inserted else { continue }
            pairs.append(UntypedTree.Pair(key: key, value: node(depth: depth + 1)))
        }
        return .mapping(pairs)
    }

    private mutating func list(depth: Int) -> UntypedTree {
        let count = rng.chance(8) ? 0 : rng.int(1...5)
        return .list((0..<count).map { _ in node(depth: depth + 1) })
    }

    // MARK: - strings

    private static let words = [
        "cpu", "mem", "tasks", "defaults", "max", "reserve", "alice", "bob", "carol", "svc_backup",
        "sys-admins", "wheel", "polynomial", "quasilinear", "none", "infinity", "a", "x", "key", "value",
        "users", "group", "idle_release", "admin_group", "Z9", "under_score", "dotted.name", "CamelCase",
    ]
    private static let numbers = ["0", "1", "2", "-1", "0.5", "1.5G", "8G", "512M", "150%", "1e3", "0x1F", "017",
                                  "1_000", ".inf", "-.Inf", ".NaN", "+1", "1h30m", "90s", "12:30:00", "1:30", "3.14159"]
    private static let typedWords = ["yes", "no", "on", "off", "y", "n", "Y", "N", "true", "False", "TRUE",
                                     "~", "null", "Null", "NULL", "<<", "="]
    private static let tricky = [
        "a:b", "http://example.org:8080/x?y=1", "x#y", "issue#12", "C#", "a-b", "-x", "--opt", "?x", ":x", "::1",
        "it's", "say \"hi\"", "back\\slash", "a,b", "a[1]", "{x}", "a|b", "a > b", "50%", "a@b", "a`b", "a&b", "a*b",
        "a!b", "# not a comment", "a: b", "a #b", "- item", "[list]", "{map}", "&anchor", "*alias", "!tag", "|", ">",
        "%dir", "@at", "`tick", "'single'", "\"double\"", " lead", "trail ", "---", "...", "--- x", "... x", "-", "?",
        ":", "a:", "tab\there", "nl\nhere", "two  spaces", "\u{A0}nbsp", "ctrl\u{1}", "del\u{7F}", "c1\u{80}",
        "nel\u{85}", "ls\u{2028}", "bom\u{FEFF}", "\u{FFFE}", "nul\u{0}", "bell\u{7}", "esc\u{1B}", "cr\r",
        "a: ", "a :b", "a\t#b", "x:?", "/slash", "a\\nb",
    ]
    private static let unicodeWords = ["héllo", "wörld", "日本語", "Ωmega", "naïve café", "😀", "🎉 party", "שלום",
                                       "e\u{301}", "ключ", "ß", "中文 text"]
    private static let palette: [Unicode.Scalar] = Array("abcxyzABC019 _-.:#,[]{}'\"\\/?!&*|>%@`~<=+()$^;".unicodeScalars)
        + ["\t", "é", "日", "😀", "\u{A0}", "\u{1}", "\u{7F}", "\u{85}", "\n", "\u{2028}", "\u{FEFF}", "\u{0}"]

    private mutating func scalarText() -> String {
        switch rng.below(20) {
        case 0..<6: rng.pick(Self.words)
        case 6, 7: rng.pick(Self.numbers)
        case 8, 9: rng.pick(Self.typedWords)
        case 10: ""
        case 11, 12: (0..<rng.int(2...5)).map { _ in rng.pick(Self.words) }.joined(separator: rng.chance(80) ? " " : "  ")
        case 13, 14, 15: rng.pick(Self.tricky)
        case 16: rng.pick(Self.unicodeWords)
        default: randomText()
        }
    }

    private mutating func randomText() -> String {
        var text = ""
        for _ in 0..<rng.int(1...12) { text.unicodeScalars.append(rng.pick(Self.palette)) }
        return text
    }

    private mutating func keyText() -> String {
        switch rng.below(10) {
        case 0..<6: rng.pick(Self.words)
        case 6: rng.pick(Self.numbers + Self.typedWords)
        case 7: rng.pick(Self.unicodeWords)
        default: scalarText()
        }
    }

    // MARK: - scalars

    /// Whether `text` reads back as itself written plain (and the same to
    /// YAML 1.1 and 1.2 parsers). Conservative: a "no" only means quoting.
    static func isPlainSafe(_ text: String, in context: Context) -> Bool {
        let u = Array(text.unicodeScalars)
        guard let first = u.first, let last = u.last else { return false }
        if first == " " || first == "\t" || last == " " || last == "\t" || last == ":" { return false }
        if text.hasPrefix("---") || text.hasPrefix("...") { return false }
        for (i, c) in u.enumerated() {
            if c.value < 0x20 && c != "\t" || (0x7F...0x9F).contains(c.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(c.value) {
                return false
            }
            let next: Unicode.Scalar? = i + 1 < u.count ? u[i + 1] : nil
            if c == ":" && (next == " " || next == "\t") { return false }
            if c == "#" && i > 0 && (u[i - 1] == " " || u[i - 1] == "\t") { return false }
            if context == .flow && (",[]{}".unicodeScalars.contains(c) || c == ":" && next == "?") { return false }
        }
        switch first {
        case "-": return u.count > 1 && u[1] != " " && u[1] != "\t"
        case "?", ":": return context == .block && u.count > 1 && u[1] != " " && u[1] != "\t"
        case _ where ",[]{}#&*!|>'\"%@`".unicodeScalars.contains(first): return false
        default: return true
        }
    }

    /// Whether `text` can be written between single quotes.
    static func isSingleQuotable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { c in
            !(c.value < 0x20 && c != "\t" || (0x7F...0x9F).contains(c.value) || [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(c.value))
        }
    }

    /// `text` written plain, single- or double-quoted (chosen at random
    /// among the styles that can represent it).
    private mutating func scalar(_ text: String, in context: Context) -> String {
        var styles: [Int] = [2]
        if Self.isSingleQuotable(text) { styles.append(1) }
        if Self.isPlainSafe(text, in: context) { styles += [0, 0, 0] }
        switch rng.pick(styles) {
        case 0: return text
        case 1: return "'" + text.replacingAll("'", with: "''") + "'"
        default: return doubleQuoted(text)
        }
    }

    private static let namedEscapes: [UInt32: String] = [
        0x0: "0", 0x7: "a", 0x8: "b", 0x9: "t", 0xA: "n", 0xB: "v", 0xC: "f", 0xD: "r", 0x1B: "e",
        0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P", 0x22: "\"", 0x5C: "\\", 0x2F: "/", 0x20: " ",
    ]

    private mutating func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            let mustEscape = c == "\"" || c == "\\" || !Self.isSingleQuotable(String(c)) || c == "\t" && rng.chance(50)
            guard mustEscape || rng.chance(10) else {
                out.unicodeScalars.append(c)
                continue
            }
            if c == "\t" && rng.chance(30) {
                out += "\\\t"
            } else if let named = Self.namedEscapes[c.value], rng.chance(70) || c == "\"" || c == "\\" {
                out += "\\" + named
            } else {
                out += hexEscape(c)
            }
        }
        return out + "\""
    }

    private mutating func hexEscape(_ c: Unicode.Scalar) -> String {
        let (letter, digits) = c.value < 0x100 && rng.chance(50) ? ("x", 2) : c.value <= 0xFFFF && rng.chance(70) ? ("u", 4) : ("U", 8)
        var hex = String(c.value, radix: 16, uppercase: rng.chance(50))
        hex = String(repeating: "0", count: digits - hex.count) + hex
        return "\\" + letter + hex
    }

    // MARK: - comments and blank lines

    private static let commentWords = ["note", "see fairshare-policy(5)", "TODO: raise", "# twice", "it's", "a: b",
                                       "[x]", "{y}", "日本", "—", "\"q\"", "- item", "&a *b !c", "|>"]

    private mutating func comment(indent: Int) -> String {
        String(repeating: " ", count: indent) + "#" + (rng.chance(20) ? "" : " " + rng.pick(Self.commentWords))
    }

    /// A comment after a value on its line, or nothing.
    private mutating func trailingComment() -> String {
        rng.chance(20) ? String(repeating: " ", count: rng.int(1...3)) + comment(indent: 0) : ""
    }

    /// Blank and comment lines between entries, at any indentation.
    private mutating func filler(indent: Int) -> [String] {
        guard rng.chance(15) else { return [] }
        return (0..<rng.int(1...2)).map { _ in
            rng.chance(40) ? String(repeating: " ", count: rng.int(0...3)) : comment(indent: rng.int(0...(indent + 4)))
        }
    }

    // MARK: - block style

    private mutating func root(_ tree: UntypedTree) -> [String] {
        let indent = rng.chance(80) ? 0 : rng.int(1...3)
        switch tree {
        case .scalar(let text):
            return text.isEmpty ? filler(indent: 0) : [String(repeating: " ", count: indent) + scalar(text, in: .block) + trailingComment()]
        case .list(let items) where !items.isEmpty && rng.chance(80):
            return blockList(items, indent: indent)
        case .mapping(let pairs) where !pairs.isEmpty && rng.chance(80):
            return blockMapping(pairs, indent: indent)
        default:
            return [String(repeating: " ", count: indent) + flow(tree, parent: -1) + trailingComment()]
        }
    }

    /// A mapping's lines at `indent`; its first line is an entry (so a list
    /// item can put its `- ` in front of it).
    private mutating func blockMapping(_ pairs: [UntypedTree.Pair], indent: Int) -> [String] {
        var lines: [String] = []
        for (i, pair) in pairs.enumerated() {
            if i > 0 { lines += filler(indent: indent) }
            var head = String(repeating: " ", count: indent) + scalar(pair.key, in: .block)
            if rng.chance(10) { head += String(repeating: " ", count: rng.int(1...3)) }
            head += ":"
            lines += value(pair.value, after: head, indent: indent, listAtSameIndent: true)
        }
        return lines
    }

    /// A list's lines at `indent`, each item `-` and 1–3 spaces.
    private mutating func blockList(_ items: [UntypedTree], indent: Int) -> [String] {
        var lines: [String] = []
        for (i, item) in items.enumerated() {
            if i > 0 { lines += filler(indent: indent) }
            let dash = String(repeating: " ", count: indent) + "-"
            let spaces = rng.int(1...3)
            let column = indent + 1 + spaces
            switch item {
            case .mapping(let pairs) where !pairs.isEmpty && rng.chance(60):
                lines += compact(blockMapping(pairs, indent: column), prefix: dash + String(repeating: " ", count: spaces))
            case .list(let nested) where !nested.isEmpty && rng.chance(50):
                lines += compact(blockList(nested, indent: column), prefix: dash + String(repeating: " ", count: spaces))
            default:
                lines += value(item, after: dash, indent: indent, listAtSameIndent: false)
            }
        }
        return lines
    }

    /// `lines` of a block whose first line starts at the column after
    /// `prefix`, with the prefix put in front of that first line.
    private func compact(_ lines: [String], prefix: String) -> [String] {
        [prefix + lines[0].dropFirst(prefix.count)] + lines.dropFirst()
    }

    /// A value after `head` (`key:` or `-`): on the same line, or a block
    /// below it indented 1–4 more (or, for a list under a key, not at all).
    private mutating func value(_ node: UntypedTree, after head: String, indent: Int, listAtSameIndent: Bool) -> [String] {
        switch node {
        case .scalar(let text) where text.isEmpty && rng.chance(70):
            return [head + trailingComment()]
        case .scalar(let text):
            return [head + String(repeating: " ", count: rng.int(1...3)) + scalar(text, in: .block) + trailingComment()]
        case .list(let items) where !items.isEmpty && rng.chance(75):
            let nested = listAtSameIndent && rng.chance(40) ? indent : indent + rng.int(1...4)
            return [head + trailingComment()] + filler(indent: nested) + blockList(items, indent: nested)
        case .mapping(let pairs) where !pairs.isEmpty && rng.chance(75):
            let nested = indent + rng.int(1...4)
            return [head + trailingComment()] + filler(indent: nested) + blockMapping(pairs, indent: nested)
        default:
            var lines = flow(node, parent: indent).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[0] = head + " " + lines[0]
            lines[lines.count - 1] += trailingComment()
            return lines
        }
    }

    // MARK: - flow style

    /// `node` in flow style; it may break lines, each continuation line
    /// indented more than `parent`.
    private mutating func flow(_ node: UntypedTree, parent: Int) -> String {
        let multiline = rng.chance(25)
        switch node {
        case .scalar(let text):
            return text.isEmpty && rng.chance(50) ? "''" : scalar(text.isEmpty ? "" : text, in: .flow)
        case .list(let items):
            var parts: [String] = []
            for item in items {
                if case .scalar(let text) = item, text.isEmpty {
                    parts.append(rng.chance(50) ? "''" : "\"\"")
                } else {
                    parts.append(flow(item, parent: parent))
                }
            }
            return collection("[", parts, "]", parent: parent, multiline: multiline)
        case .mapping(let pairs):
            var parts: [String] = []
            for pair in pairs {
                let key = scalar(pair.key, in: .flow)
                let quoted = key.hasPrefix("'") || key.hasPrefix("\"")
                if case .scalar(let text) = pair.value, text.isEmpty, rng.chance(40) {
                    parts.append(rng.chance(50) ? key : key + ": ")
                    continue
                }
                let colon = quoted && rng.chance(30) ? ":" : ":" + String(repeating: " ", count: rng.int(1...2))
                parts.append(key + colon + flow(pair.value, parent: parent))
            }
            return collection("{", parts, "}", parent: parent, multiline: multiline)
        }
    }

    private mutating func collection(_ open: String, _ parts: [String], _ close: String, parent: Int, multiline: Bool) -> String {
        var out = open
        if parts.isEmpty { return out + (rng.chance(20) ? " " : "") + close }
        for (i, part) in parts.enumerated() {
            if multiline && rng.chance(60) {
                if rng.chance(30) { out += " " + comment(indent: 0) }
                out += "\n" + String(repeating: " ", count: parent + 1 + rng.int(0...3))
            } else if i > 0 || rng.chance(20) {
                out += String(repeating: " ", count: rng.int(0...2))
            }
            out += part
            if i < parts.count - 1 {
                out += (rng.chance(15) ? " " : "") + ","
            } else if rng.chance(15) {
                out += ","
            }
        }
        if multiline && rng.chance(40) {
            out += "\n" + String(repeating: " ", count: parent + 1 + rng.int(0...2))
        } else if rng.chance(20) {
            out += " "
        }
        return out + close
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
