import FairshareCore
import Yams

/// A YAML tree without types, styles or locations: what both parsers must
/// agree on. Scalars are their text (an empty value is ""), mappings keep
/// their keys in file order.
indirect enum UntypedTree: Equatable, Sendable, CustomStringConvertible {
    case scalar(String)
    case list([UntypedTree])
    case mapping([Pair])

    struct Pair: Equatable, Sendable {
        var key: String
        var value: UntypedTree

        static func == (a: Pair, b: Pair) -> Bool { sameText(a.key, b.key) && a.value == b.value }
    }

    /// Texts compare by Unicode scalars: Swift's `==` on strings would take
    /// "é" and "e\u{301}" for the same.
    static func == (a: UntypedTree, b: UntypedTree) -> Bool {
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)): sameText(x, y)
        case (.list(let x), .list(let y)): x == y
        case (.mapping(let x), .mapping(let y)): x == y
        default: false
        }
    }

    /// Our parser's tree.
    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let text, _): self = .scalar(text)
        case .sequence(let items): self = .list(items.map(UntypedTree.init))
        case .mapping(let entries): self = .mapping(entries.map { Pair(key: $0.key, value: UntypedTree($0.value)) })
        }
    }

    /// Yams' tree, untyped: a scalar is its `string` (no type resolution),
    /// an empty document is the empty scalar. A key that is not a scalar
    /// (a complex key) keeps a marked description so that it never equals a
    /// key of ours.
    init(yams node: Node?) {
        guard let node else {
            self = .scalar("")
            return
        }
        switch node {
        case .scalar(let scalar):
            self = .scalar(scalar.string)
        case .sequence(let sequence):
            self = .list(sequence.map { UntypedTree(yams: $0) })
        case .mapping(let mapping):
            self = .mapping(mapping.map { key, value in
                let keyText = key.scalar?.string ?? "<complex key \(UntypedTree(yams: key))>"
                return Pair(key: keyText, value: UntypedTree(yams: value))
            })
        case .alias:
            self = .scalar("<alias>")
        }
    }

    /// The tree as Yams gives it back: Yams makes each scalar a String
    /// with Foundation's `String(bytes:encoding:)`, which drops a leading
    /// U+FEFF (a `"\uFEFF…"` escape) as if it were a byte order mark.
    var asYamsReadsIt: UntypedTree {
        switch self {
        case .scalar(let text): .scalar(droppingLeadingBOM(text))
        case .list(let items): .list(items.map(\.asYamsReadsIt))
        case .mapping(let pairs): .mapping(pairs.map { Pair(key: droppingLeadingBOM($0.key), value: $0.value.asYamsReadsIt) })
        }
    }

    var description: String {
        switch self {
        case .scalar(let text): quoted(text)
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs): "{" + pairs.map { "\(quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

private func droppingLeadingBOM(_ text: String) -> String {
    text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
}

private func sameText(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }

/// `text` in double quotes with Swift-style escapes, so that trees with
/// invisible differences (a tab, a trailing space) print differently.
private func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || (0x7F...0xA0).contains(scalar.value) || scalar.properties.generalCategory == .format
            || scalar.value == 0x2028 || scalar.value == 0x2029:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
