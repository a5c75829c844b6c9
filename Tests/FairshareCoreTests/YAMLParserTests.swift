import Testing
@testable import FairshareCore

/// A parsed tree without locations or styles, short to write in tests:
/// scalars as strings, lists as arrays, mappings as [(key, tree)].
indirect enum Tree: Equatable, CustomStringConvertible, ExpressibleByStringLiteral {
    case s(String)
    case l([Tree])
    case m([Pair])

    struct Pair: Equatable {
        var key: String
        var value: Tree
    }

    init(stringLiteral value: String) { self = .s(value) }

    init(_ node: YAMLNode) {
        switch node.content {
        case .scalar(let text, _): self = .s(text)
        case .sequence(let items): self = .l(items.map(Tree.init))
        case .mapping(let entries): self = .m(entries.map { Pair(key: $0.key, value: Tree($0.value)) })
        }
    }

    static func map(_ pairs: KeyValuePairs<String, Tree>) -> Tree { .m(pairs.map { Pair(key: $0.key, value: $0.value) }) }

    var description: String {
        switch self {
        case .s(let s): "\"\(s)\""
        case .l(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .m(let pairs): "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

func tree(_ text: String) throws -> Tree { Tree(try YAMLParser.parse(text)) }

/// The error for `text`, as "line:col: message".
func yamlError(_ text: String) -> String? {
    do {
        _ = try YAMLParser.parse(text)
        return nil
    } catch {
        return "\(error.location): \(error.message)"
    }
}

@Suite struct YAMLParserTests {
    // MARK: structure

    @Test func blockMappingsAndSequencesAtAnyIndentation() throws {
        #expect(try tree("""
            defaults:
              cpu: 2
              mem: 8G
            max:
                cpu: 8
            groups:
            - a
            - b
            list:
               -   x
               - y: 1
                 z: 2
               - - n1
                 - n2
            """) == .map([
                "defaults": .map(["cpu": "2", "mem": "8G"]),
                "max": .map(["cpu": "8"]),
                "groups": .l(["a", "b"]),
                "list": .l(["x", .map(["y": "1", "z": "2"]), .l(["n1", "n2"])]),
            ]))
    }

    @Test func flowCollections() throws {
        #expect(try tree("a: [x, 'y z', \"w\"]\nb: {cpu: 2, mem: 4G}\nc: []\nd: {}\ne: [[1, 2], {k: v}]\nf: [a, b, ]")
            == .map(["a": .l(["x", "y z", "w"]), "b": .map(["cpu": "2", "mem": "4G"]), "c": .l([]), "d": .m([]),
                     "e": .l([.l(["1", "2"]), .map(["k": "v"])]), "f": .l(["a", "b"])]))
        // Flow collections may span lines when the continuation is indented.
        #expect(try tree("users: {\n  alice: {cpu: 1},  # comment\n  bob: {cpu: 2}\n}") ==
            .map(["users": .map(["alice": .map(["cpu": "1"]), "bob": .map(["cpu": "2"])])]))
        // A key without a value inside { } is null.
        #expect(try tree("{a, b: }") == .map(["a": "", "b": ""]))
        #expect(try tree("{\"a\":1}") == .map(["a": "1"]))
    }

    @Test func scalars() throws {
        #expect(try tree("a: plain text with  spaces   # comment") == .map(["a": "plain text with  spaces"]))
        #expect(try tree("a: 'it''s # not a comment'") == .map(["a": "it's # not a comment"]))
        #expect(try tree(#"a: "tab\there\nnew \\ \" \u00e9 \x41 \U0001F600""#) == .map(["a": "tab\there\nnew \\ \" é A 😀"]))
        #expect(try tree("a: x#y\nb: -1\nc: :x\nd: ?x\ne: a:b") == .map(["a": "x#y", "b": "-1", "c": ":x", "d": "?x", "e": "a:b"]))
        #expect(try tree("a:\nb: ~\nc: ''") == .map(["a": "", "b": "~", "c": ""]))
        #expect(try tree("'quoted key': 1\n\"k 2\" : 2") == .map(["quoted key": "1", "k 2": "2"]))
        #expect(try tree("a: é ü 日本") == .map(["a": "é ü 日本"]))
    }

    @Test func nullsAreMarked() throws {
        let root = try YAMLParser.parse("a:\nb: ~\nc: ''")
        let values = root.entries!.map(\.value)
        #expect(values.map(\.isNull) == [true, true, false])
    }

    @Test func documentMarkersBOMAndCRLF() throws {
        #expect(try tree("---\na: 1\n...\n# trailing comment\n") == .map(["a": "1"]))
        #expect(try tree("\u{FEFF}a: 1\r\nb:\r\n  - x\r\n") == .map(["a": "1", "b": .l(["x"])]))
        #expect(try tree("") == "")
        #expect(try tree("# only a comment\n\n") == "")
        #expect(try tree("---\n") == "")
    }

    @Test func locationsCountCharactersNotBytes() throws {
        let root = try YAMLParser.parse("é: ü\n  # c\nb:\n  - x")
        #expect(root.entries![0].value.location == SourceLocation(line: 1, column: 4))
        #expect(root.entries![1].keyLocation == SourceLocation(line: 3, column: 1))
        #expect(root.entries![1].value.items![0].location == SourceLocation(line: 4, column: 5))
    }

    // MARK: errors: what YAML has and the subset does not

    @Test(arguments: [
        ("a: &x 1", "1:4: anchors ('&') are not supported; repeat the value instead"),
        ("a: *x", "1:4: aliases ('*') are not supported; repeat the value instead"),
        ("a: !!str 1", "1:4: tags ('!') are not supported; write the value without a tag"),
        ("a: |\n  text", "1:4: block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed"),
        ("a: >\n  text", "1:4: block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed"),
        ("? a\n: b", "1:1: complex keys ('? ') are not supported"),
        ("[a]: b", "1:4: a key must be a plain or quoted word, not a list or mapping (complex keys are not supported)"),
        ("%YAML 1.2\n---\na: 1", "1:1: directives (%YAML, %TAG) are not supported"),
        ("a: 1\n---\nb: 2", "2:1: multiple documents are not supported (a second '---')"),
        ("a: 1\n...\nb: 2", "3:1: multiple documents are not supported; only comments may follow '...'"),
        ("--- a: 1", "1:5: content on the '---' line is not supported; start the document on the next line"),
        ("a: 'multi\n  line'", "1:4: this quoted string is not closed on its line (multi-line quoted strings are not supported)"),
        ("a: \"x\\\n  y\"", "1:6: a '\\' at the end of a line (multi-line quoted strings are not supported)"),
        ("a: plain\n  continued", "2:3: a value cannot continue on the next line (multi-line values are not supported); write it on one line, quoted if needed"),
        ("a: [x: 1]", "1:6: 'key: value' pairs inside [ ] are not supported; write {key: value}"),
        ("a: @x", "1:4: '@' cannot start a value; quote the value"),
    ])
    func unsupportedConstructsAreNamed(input: String, expected: String) {
        #expect(yamlError(input) == expected)
    }

    @Test(arguments: [
        ("a:\n\tb: 1", "2:1: a tab in indentation; YAML indents with spaces only"),
        ("a:\n  \tb: 1", "2:3: a tab in indentation; YAML indents with spaces only"),
        ("a: 1\nb: 2\na: 3", "3:1: duplicate key 'a' (first defined on line 1)"),
        ("m:\n  cpu: 1\n  cpu: 2", "3:3: duplicate key 'cpu' (first defined on line 2)"),
        ("m: {cpu: 1, cpu: 2}", "1:13: duplicate key 'cpu' (first defined on line 1)"),
        ("'a': 1\na: 2", "2:1: duplicate key 'a' (first defined on line 1)"),
        ("a:\n    b: 1\n  c: 2", "3:3: inconsistent indentation: expected 0 spaces (like 'a' on line 1), found 2"),
        ("a:\n  b: 1\n   c: 2", "3:4: a value cannot continue on the next line (multi-line values are not supported); write it on one line, quoted if needed"),
        ("- a\n  - b", "2:3: a value cannot continue on the next line (multi-line values are not supported); write it on one line, quoted if needed"),
        ("- a\nb: 1", "2:1: expected a list item ('- ') at this indentation, like line 1"),
        ("  a: 1\nb: 2", "2:1: inconsistent indentation: this line is indented 0 spaces, less than the document's first line (2)"),
        ("a: 1\n- b", "2:1: expected a key at this indentation (like 'a' on line 1), found a list item ('- ')"),
        ("a: 1\nb", "2:2: expected ':' after 'b' (every line of a mapping is 'key: value')"),
        ("a: b: c", "1:5: a mapping cannot start on the same line as its key; put its 'key: value' lines below it, indented"),
        ("a: - b", "1:4: a list cannot start on the same line as its key; put the '- item' lines below it"),
        ("a: [1, 2", "1:4: '[' is never closed (no matching ']')"),
        ("a: {x: 1", "1:4: '{' is never closed (no matching '}')"),
        ("a: [1,, 2]", "1:7: empty entry: a ',' with no value before it"),
        ("a: [1 [2]]", "1:7: expected ',' or ']' here"),
        ("a: [1, - 2]", "1:8: a block list item ('- ') cannot appear inside [ ] or { }"),
        ("a: [1] x", "1:8: unexpected text after the value; quote a value that contains it"),
        ("a: 'x' y", "1:8: unexpected text after the value; quote a value that contains it"),
        ("a: x\n  b:\n    [1,\n  2]", "2:3: a value cannot continue on the next line (multi-line values are not supported); write it on one line, quoted if needed"),
        ("a:\n  b: [1,\n  2]", "3:3: this line continues a '[' from line 2 and must be indented more than 2 spaces"),
        (": x", "1:1: missing key before ':'"),
        ("a: ]", "1:4: unexpected ']'; quote a value that contains it"),
        ("a: [1]#c", "1:7: '#' starts a comment only after a space; quote a value that contains ' #'"),
        (#"a: "\q""#, #"1:5: unknown escape '\q' in a double-quoted string (known: \n \t \\ \" \uXXXX and YAML's others)"#),
        (#"a: "\u12""#, #"1:5: '\u' needs 4 hexadecimal digits"#),
        (#"a: "\uD800""#, #"1:5: '\u' names no Unicode character (a surrogate or beyond U+10FFFF)"#),
        ("a: 1\rb: 2", "1:5: a carriage return not followed by a line feed (only LF and CRLF line ends are supported)"),
        ("a: \u{1}", "1:4: control character U+0001 is not allowed in a policy file"),
    ])
    func malformedDocumentsArePointedAt(input: String, expected: String) {
        #expect(yamlError(input) == expected)
    }

    // MARK: errors: what YAML parsers read differently (found by comparing with Yams)

    @Test(arguments: [
        // Tabs in the indentation of blank and comment lines, and of the
        // lines that continue a [ ] or { }: libyaml rejects them.
        ("a: 1\n\t\nb: 2", "2:1: a tab in indentation; YAML indents with spaces only"),
        ("a: 1\n  \t# c\nb: 2", "2:3: a tab in indentation; YAML indents with spaces only"),
        ("a: [1,\n  2\n\t]", "3:1: a tab in indentation; YAML indents with spaces only"),
        ("a: [1,\n\t\n  2]", "2:1: a tab in indentation; YAML indents with spaces only"),
        // A tab after a list item's '-' (libyaml: "cannot start any token").
        ("-\tx", "1:2: a tab after a list item's '-'; separate the item from its '-' with spaces"),
        ("a:\n  - \tb: 1", "2:5: a tab after a list item's '-'; separate the item from its '-' with spaces"),
        ("-\t# c\n  x", "1:2: a tab after a list item's '-'; separate the item from its '-' with spaces"),
        // Keys longer than 1024 characters up to their ':'.
        (String(repeating: "k", count: 1025) + ": v",
         "1:1: a key may be at most 1024 characters long up to its ':' (YAML's limit); this one has 1025"),
        ("a:\n  \"" + String(repeating: "é", count: 1023) + "\": v",
         "2:3: a key may be at most 1024 characters long up to its ':' (YAML's limit); this one has 1025"),
        ("{" + String(repeating: "k", count: 1023) + "  : v}",
         "1:2: a key may be at most 1024 characters long up to its ':' (YAML's limit); this one has 1025"),
        // A flow key's ':' on another line (libyaml: "did not find expected ',' or '}'").
        ("{a\n: b}", "2:1: the ':' of the key 'a' must be on the key's line (1)"),
        ("{\"a\"\n  : b}", "2:3: the ':' of the key 'a' must be on the key's line (1)"),
        // ':' glued to a flow indicator: YAML 1.2 reads {a:} as {a: null},
        // libyaml rejects it.
        ("{a:}", "1:3: ':' directly before '}' inside [ ] or { } means different things to different YAML parsers; put a space after the ':', or quote the value"),
        ("{a:, b: 1}", "1:3: ':' directly before ',' inside [ ] or { } means different things to different YAML parsers; put a space after the ':', or quote the value"),
        ("{a:[1]}", "1:3: ':' directly before '[' inside [ ] or { } means different things to different YAML parsers; put a space after the ':', or quote the value"),
        ("[a:?]", "1:3: ':' directly before '?' inside [ ] or { } means different things to different YAML parsers; put a space after the ':', or quote the value"),
        // '?' and ':' starting a flow value: libyaml reads indicators
        // ([?x] is [{x: null}]).
        ("[?x]", "1:2: '?' cannot start a value inside [ ] or { } (YAML parsers read it as a complex key there); quote the value"),
        ("{?x: 1}", "1:2: '?' cannot start a value inside [ ] or { } (YAML parsers read it as a complex key there); quote the value"),
        // A '...' with nothing before it: an empty stream to YAML 1.2, an
        // error to libyaml.
        ("...\n", "1:1: '...' ends a document that has not begun; remove it, or put '---' before it"),
        ("# c\n...\n# d", "2:1: '...' ends a document that has not begun; remove it, or put '---' before it"),
        ("[:x]", "1:2: ':' cannot start a value inside [ ] or { } (YAML parsers read it as a ':' after an empty key there); quote the value"),
        // Characters YAML 1.1 reads as line breaks: a NEL ends a comment
        // there, and folds to a space in a quoted string.
        ("a: 1 # x\u{85}b: 2", "1:9: character U+0085 is a line break to YAML 1.1 parsers and text to YAML 1.2 ones, so it is not allowed in a policy file; in a double-quoted string, write it as \\N"),
        ("a: 'x\u{2028}y'", "1:6: character U+2028 is a line break to YAML 1.1 parsers and text to YAML 1.2 ones, so it is not allowed in a policy file; in a double-quoted string, write it as \\L"),
        ("# \u{2029}", "1:3: character U+2029 is a line break to YAML 1.1 parsers and text to YAML 1.2 ones, so it is not allowed in a policy file; in a double-quoted string, write it as \\P"),
    ])
    func constructsYAMLParsersReadDifferentlyAreErrors(input: String, expected: String) {
        #expect(yamlError(input) == expected)
    }

    @Test func whatStaysAllowedNextToThoseErrors() throws {
        // 1024 characters up to the ':' is the most a key may have.
        let key = String(repeating: "k", count: 1022)
        #expect(try tree(key + "  : v") == .m([Tree.Pair(key: key, value: "v")]))
        #expect(try tree("\"" + key + "\": v") == .m([Tree.Pair(key: key, value: "v")]))
        // Tabs after a key's ':', inside values and before comments.
        #expect(try tree("a:\tb\nc: x\ty\t# c\nd:\t\n  e: 1") == .map(["a": "b", "c": "x\ty", "d": .map(["e": "1"])]))
        // A quoted flow key may have its ':' glued on; a plain one a ':' inside.
        #expect(try tree("{\"a\":, \"b\":[1], c: d:e}") == .map(["a": "", "b": .l(["1"]), "c": "d:e"]))
        // '---' then '...' is an empty document.
        #expect(try tree("---\n...\n") == "")
        // The escapes stand for the characters that may not be written raw.
        #expect(try tree(#"a: "\N\L\P""#) == .map(["a": "\u{85}\u{2028}\u{2029}"]))
    }

    @Test func nestingIsLimited() throws {
        let flow = { (n: Int) in String(repeating: "[", count: n) + String(repeating: "]", count: n) }
        #expect(yamlError(flow(YAMLParser.maximumDepth)) == nil)
        #expect(yamlError(flow(YAMLParser.maximumDepth + 1)) == "1:101: lists and mappings nested more than 100 levels deep are not supported")
        // Deep enough to overflow the stack without the limit.
        #expect(yamlError(flow(100_000)) == "1:101: lists and mappings nested more than 100 levels deep are not supported")
        let block = (0...YAMLParser.maximumDepth).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(yamlError(block) == "101:101: lists and mappings nested more than 100 levels deep are not supported")
        #expect(yamlError("- " + String(repeating: "- ", count: 100) + "x") == "1:201: lists and mappings nested more than 100 levels deep are not supported")
    }

    @Test func invalidUTF8IsPointedAt() {
        var bytes = Array("a: 1\nb: é".utf8)
        bytes[bytes.count - 1] = 0xFF
        #expect(throws: YAMLSyntaxError("the file is not valid UTF-8 (byte 0xC3)", at: SourceLocation(line: 2, column: 4))) {
            try YAMLParser.parse(bytes)
        }
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLParser.maximumSize + 1)
        #expect(throws: YAMLSyntaxError.self) { try YAMLParser.parse(big) }
        let exact = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLParser.maximumSize)
        #expect(throws: Never.self) { try YAMLParser.parse(exact) }
    }
}
