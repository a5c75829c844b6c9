import FairshareCore
import Testing

/// What Yams 6.2.2 did with a document when the corpus was written.
enum YamsVerdict: Sendable {
    /// A tree: valid YAML that is outside fairshare's subset.
    case reads
    /// An error: not YAML at all (to libyaml).
    case rejects
}

/// One document outside the subset, named after the construct.
struct OutsideTheSubset: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var yams: YamsVerdict

    init(_ name: String, _ text: String, yams: YamsVerdict) {
        self.name = name
        self.text = text
        self.yams = yams
    }

    var testDescription: String { name }
}

/// Every construct the subset leaves out, and what YAML parsers read
/// differently: our parser must throw for each, never return a tree (even
/// where Yams reads one).
@Suite struct OutsideTheSubsetTests {
    static let cases: [OutsideTheSubset] = [
        OutsideTheSubset("anchor on a value", "a: &x 1", yams: .reads),
        OutsideTheSubset("anchor and alias", "a: &x 1\nb: *x", yams: .reads),
        OutsideTheSubset("undefined alias", "a: *x", yams: .rejects),
        OutsideTheSubset("anchor on a mapping", "base: &b\n  cpu: 1\n", yams: .reads),
        OutsideTheSubset("merge key with an alias", "base: &b {cpu: 1}\nuser:\n  <<: *b\n  mem: 2G", yams: .reads),
        OutsideTheSubset("merge key with a list of aliases", "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]", yams: .reads),
        OutsideTheSubset("merge key alias alone", "<<: *x", yams: .rejects),
        OutsideTheSubset("secondary tag", "a: !!str 1", yams: .reads),
        OutsideTheSubset("local tag", "a: !custom x", yams: .reads),
        OutsideTheSubset("verbatim tag", "a: !<tag:yaml.org,2002:str> x", yams: .reads),
        OutsideTheSubset("tag on a mapping", "a: !!map\n  b: 1", yams: .reads),
        OutsideTheSubset("binary tag", "a: !!binary aGVsbG8=", yams: .reads),
        OutsideTheSubset("anchor and alias in flow", "[&a x, *a]", yams: .reads),
        OutsideTheSubset("alias as a key", "a: &k key\n*k : 1", yams: .reads),
        OutsideTheSubset("literal block scalar", "a: |\n  line1\n  line2", yams: .reads),
        OutsideTheSubset("folded block scalar", "a: >\n  folded\n  text", yams: .reads),
        OutsideTheSubset("literal keep chomping", "a: |+\n  x\n\n", yams: .reads),
        OutsideTheSubset("folded with indentation indicator", "a: >2-\n   x", yams: .reads),
        OutsideTheSubset("block scalar at the root", "|\n  text", yams: .reads),
        OutsideTheSubset("block scalar in a list", "- |\n  x", yams: .reads),
        OutsideTheSubset("complex key", "? a\n: b", yams: .reads),
        OutsideTheSubset("complex key that is a list", "? [a, b]\n: c", yams: .reads),
        OutsideTheSubset("flow list as a key", "[a, b]: c", yams: .reads),
        OutsideTheSubset("flow mapping as a key", "{a: 1}: b", yams: .reads),
        OutsideTheSubset("complex key in a flow mapping", "{? a : b}", yams: .reads),
        OutsideTheSubset("single pair in a flow list", "[a: 1]", yams: .reads),
        OutsideTheSubset("JSON pair in a flow list", "[\"a\":1]", yams: .reads),
        OutsideTheSubset("YAML directive", "%YAML 1.2\n---\na: 1", yams: .reads),
        OutsideTheSubset("TAG directive", "%TAG ! tag:example.com,2000:\n---\na: 1", yams: .reads),
        OutsideTheSubset("YAML 1.1 directive, empty document", "%YAML 1.1\n---\n", yams: .reads),
        OutsideTheSubset("second document", "a: 1\n---\nb: 2", yams: .rejects),
        OutsideTheSubset("two explicit documents", "---\na: 1\n---\nb: 2", yams: .rejects),
        OutsideTheSubset("content after the document end", "a: 1\n...\nb: 2", yams: .rejects),
        OutsideTheSubset("second document after the end marker", "a: 1\n...\n---\nb: 2", yams: .rejects),
        OutsideTheSubset("mapping on the start marker line", "--- a: 1", yams: .rejects),
        OutsideTheSubset("block scalar on the start marker line", "--- |\n  x", yams: .reads),
        OutsideTheSubset("scalar on the start marker line", "--- text", yams: .reads),
        OutsideTheSubset("lone document end marker", "...\n", yams: .rejects),
        OutsideTheSubset("comment then lone document end", "# c\n...\n", yams: .rejects),
        OutsideTheSubset("multi-line plain value", "a: plain\n  continued", yams: .reads),
        OutsideTheSubset("multi-line plain root", "first line\nsecond line", yams: .reads),
        OutsideTheSubset("multi-line plain list item", "- a\n  b", yams: .reads),
        OutsideTheSubset("multi-line single-quoted", "a: 'x\n  y'", yams: .reads),
        OutsideTheSubset("multi-line double-quoted", "a: \"x\n  y\"", yams: .reads),
        OutsideTheSubset("double-quoted escaped line break", "a: \"x\\\n  y\"", yams: .reads),
        OutsideTheSubset("multi-line plain in a flow list", "[a\n b]", yams: .reads),
        OutsideTheSubset("multi-line plain key in a flow mapping", "{a\n b: 1}", yams: .rejects),
        OutsideTheSubset("multi-line quoted key in a flow mapping", "{\"a\n b\": 1}", yams: .rejects),
        OutsideTheSubset("plain key then a line without colon", "a\nb: 1", yams: .rejects),
        OutsideTheSubset("tab indentation", "a:\n\tb: 1", yams: .rejects),
        OutsideTheSubset("tab after spaces in indentation", "a:\n  \tb: 1", yams: .rejects),
        OutsideTheSubset("tab-indented comment line", "a: 1\n\t# c\nb: 2", yams: .rejects),
        OutsideTheSubset("tab-only blank line", "a: 1\n\t\nb: 2", yams: .rejects),
        OutsideTheSubset("tab after a list dash", "-\tx", yams: .rejects),
        OutsideTheSubset("tab after a nested list dash", "a:\n  - \tb: 1", yams: .rejects),
        OutsideTheSubset("tab indenting a flow continuation", "a: [1,\n\t2]", yams: .reads),
        OutsideTheSubset("tab before a flow closing bracket", "a: [1,\n  2\n\t]", yams: .rejects),
        OutsideTheSubset("duplicate key", "a: 1\na: 2", yams: .rejects),
        OutsideTheSubset("duplicate nested key", "m:\n  cpu: 1\n  cpu: 2", yams: .rejects),
        OutsideTheSubset("duplicate key in a flow mapping", "{a: 1, a: 2}", yams: .rejects),
        OutsideTheSubset("duplicate key quoted and plain", "'a': 1\na: 2", yams: .rejects),
        OutsideTheSubset("duplicate key of different YAML types", "1: x\n'1': y", yams: .reads),
        OutsideTheSubset("duplicate key through an escape", "\"a\\u0062\": 1\nab: 2", yams: .rejects),
        OutsideTheSubset("duplicate merge-like key", "<<: a\n<<: b", yams: .rejects),
        OutsideTheSubset("sibling less indented than the first", "a:\n    b: 1\n  c: 2", yams: .rejects),
        OutsideTheSubset("root indented then dedented", "  a: 1\nb: 2", yams: .rejects),
        OutsideTheSubset("flow continuation not indented enough", "a:\n  b: [1,\n  2]", yams: .reads),
        OutsideTheSubset("flow mapping content at the key's column", "key: {\na: 1}", yams: .reads),
        OutsideTheSubset("mapping on a key's line", "a: b: c", yams: .rejects),
        OutsideTheSubset("list on a key's line", "a: - b", yams: .rejects),
        OutsideTheSubset("mapping on a list item key's line", "- a: b: c", yams: .rejects),
        OutsideTheSubset("key after a list at the same indentation", "a:\n  - b\n  c: d", yams: .rejects),
        OutsideTheSubset("value continued by a list item", "key: value\n  - item", yams: .reads),
        OutsideTheSubset("list item among keys", "a: 1\n- b", yams: .rejects),
        OutsideTheSubset("key among list items", "- a\nb: 1", yams: .rejects),
        OutsideTheSubset("key without colon", "a: 1\nb", yams: .rejects),
        OutsideTheSubset("colon glued before a closing brace", "{a:}", yams: .rejects),
        OutsideTheSubset("colon glued before a bracket", "{a:[1]}", yams: .rejects),
        OutsideTheSubset("colon glued before a comma", "{a:, b: 1}", yams: .rejects),
        OutsideTheSubset("colon glued before a question mark", "[a:?]", yams: .rejects),
        OutsideTheSubset("question mark starting a flow value", "[?x]", yams: .reads),
        OutsideTheSubset("question mark starting a flow key", "{?x: 1}", yams: .reads),
        OutsideTheSubset("colon starting a flow value", "[:x]", yams: .rejects),
        OutsideTheSubset("flow key colon on the next line", "{a\n: b}", yams: .rejects),
        OutsideTheSubset("quoted flow key colon on the next line", "{\"a\"\n  : b}", yams: .rejects),
        OutsideTheSubset("lone dash in a flow list", "[-]", yams: .reads),
        OutsideTheSubset("block list inside a flow list", "[- a]", yams: .rejects),
        OutsideTheSubset("unclosed flow list", "a: [1, 2", yams: .rejects),
        OutsideTheSubset("unclosed flow mapping", "a: {x: 1", yams: .rejects),
        OutsideTheSubset("empty flow entry", "a: [1,, 2]", yams: .rejects),
        OutsideTheSubset("lone comma in a flow list", "[,]", yams: .rejects),
        OutsideTheSubset("text after a flow collection", "a: {a: 1} x", yams: .rejects),
        OutsideTheSubset("text after a quoted value", "a: 'x' y", yams: .rejects),
        OutsideTheSubset("comment glued to a flow collection", "a: [1]#c", yams: .reads),
        OutsideTheSubset("empty key in a flow mapping", "{: a}", yams: .rejects),
        OutsideTheSubset("missing key", ": x", yams: .rejects),
        OutsideTheSubset("reserved indicator at", "a: @x", yams: .rejects),
        OutsideTheSubset("reserved indicator backtick", "a: `x", yams: .rejects),
        OutsideTheSubset("percent starting a value", "a: %x", yams: .rejects),
        OutsideTheSubset("closing bracket as a value", "a: ]", yams: .rejects),
        OutsideTheSubset("unknown escape", "a: \"\\q\"", yams: .rejects),
        OutsideTheSubset("short unicode escape", "a: \"\\u12\"", yams: .rejects),
        OutsideTheSubset("surrogate escape", "a: \"\\uD800\"", yams: .rejects),
        OutsideTheSubset("escape beyond Unicode", "a: \"\\U00110000\"", yams: .rejects),
        OutsideTheSubset("key longer than 1024 characters", String(repeating: "k", count: 1025) + ": v", yams: .rejects),
        OutsideTheSubset("quoted key longer than 1024 characters", "\"" + String(repeating: "k", count: 1023) + "\": v", yams: .rejects),
        OutsideTheSubset("NEL in a comment", "a: 1 # x\u{85}b: 2", yams: .reads),
        OutsideTheSubset("NEL in a single-quoted string", "a: 'x\u{85}y'", yams: .reads),
        OutsideTheSubset("line separator in a plain value", "a: x\u{2028}y", yams: .rejects),
        OutsideTheSubset("paragraph separator in a comment", "# \u{2029}\na: 1", yams: .reads),
        OutsideTheSubset("byte order mark inside the document", "a: 1\n\u{FEFF}b: 2", yams: .rejects),
        OutsideTheSubset("control character", "a: \u{1}", yams: .rejects),
        OutsideTheSubset("delete character", "a: x\u{7F}", yams: .rejects),
        OutsideTheSubset("C1 control character", "a: \u{80}", yams: .rejects),
        OutsideTheSubset("lone carriage return", "a: 1\rb: 2", yams: .reads),
        OutsideTheSubset("alias as a flow key", "{*a : 1}", yams: .rejects),
        OutsideTheSubset("anchor on a flow key", "{&a k: 1}", yams: .reads),
        OutsideTheSubset("nesting deeper than 100 levels", String(repeating: "[", count: 101) + String(repeating: "]", count: 101), yams: .reads),
    ]

    /// Bytes that are not UTF-8 text.
    static let malformedBytes: [[UInt8]] = [
        Array("a: ".utf8) + [0xFF],
        Array("a: ".utf8) + [0xC3],
        Array("a: ".utf8) + [0xC0, 0x80],
        Array("a: ".utf8) + [0xED, 0xA0, 0x80],
        Array("a: ".utf8) + [0xF4, 0x90, 0x80, 0x80],
        [0xFE, 0xFF, 0x00, 0x61],
    ]

    @Test func corpusIsLargeEnough() {
        #expect(Self.cases.count + Self.malformedBytes.count >= 60)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }

    @Test(arguments: cases)
    func ourParserRejects(_ document: OutsideTheSubset) {
        let result = Differential(document.text)
        #expect(result.oursTree == nil, "we returned a tree for \(document.name)\n\(result.report)")
        if case .failure(let error) = result.ours {
            let lines = document.text.split(separator: "\n", omittingEmptySubsequences: false).count
            #expect((1...lines).contains(error.location.line) && error.location.column >= 1, "\(error)")
        }
        #expect((result.yamsTree != nil) == (document.yams == .reads),
                "Yams 6.2.2 \(document.yams == .reads ? "read" : "rejected") '\(document.name)' when this corpus was written\n\(result.report)")
    }

    @Test(arguments: malformedBytes)
    func malformedTextIsRejected(_ bytes: [UInt8]) {
        #expect(throws: YAMLSyntaxError.self) { try YAMLParser.parse(bytes) }
    }
}
