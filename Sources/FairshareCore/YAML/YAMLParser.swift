/// fairshare's YAML subset (fairshare-policy(5), SYNTAX): block mappings and
/// sequences, flow `[a, b]` and `{k: v}`, plain, single- and double-quoted
/// scalars on one line, comments, one optional `---` and `...`, CRLF line
/// ends and a UTF-8 BOM. Everything else YAML has is an error that names the
/// construct, never a silently different value: anchors, aliases, tags,
/// block scalars, complex keys, directives, multi-line scalars, several
/// documents, tabs in indentation, duplicate keys, nesting more than
/// `maximumDepth` levels deep. So is what YAML parsers read differently
/// (YAML 1.1's libyaml against YAML 1.2): a tab after a list item's `-`,
/// keys longer than 1024 characters, a flow key whose `:` is on another
/// line, `:` glued to a flow indicator (`{a:}`), plain flow values starting
/// with `?` or `:`, a `...` with no document before it, and the characters
/// YAML 1.1 takes for line breaks (U+0085, U+2028, U+2029).
///
/// A recursive descent over UTF-8 bytes (every YAML indicator is ASCII);
/// columns in errors count Unicode scalars.
public struct YAMLParser {
    /// Larger inputs are refused before parsing.
    public static let maximumSize = 1 << 20

    /// YAML's limit on an implicit key, counted in characters from its
    /// first one (a quote included) to its `:`.
    public static let maximumKeyLength = 1024

    /// Lists and mappings nested deeper are refused: the parser recurses
    /// once per level, and a file of a few thousand `[` would overflow the
    /// stack (policies nest four or five levels).
    public static let maximumDepth = 100

    private var b: [UInt8]
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    /// Collections open around the current position.
    private var depth = 0

    /// Parses one document. An empty document (nothing, or only comments)
    /// is a null scalar.
    public static func parse(_ input: [UInt8]) throws(YAMLSyntaxError) -> YAMLNode {
        var parser = try YAMLParser(input)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String) throws(YAMLSyntaxError) -> YAMLNode {
        try parse(Array(text.utf8))
    }

    private init(_ input: [UInt8]) throws(YAMLSyntaxError) {
        guard input.count <= Self.maximumSize else {
            throw YAMLSyntaxError("the file is \(input.count) bytes; policy files may be at most 1 MiB", at: SourceLocation(line: 1, column: 1))
        }
        b = try YAMLInputCheck.normalized(input)
    }

    // MARK: - document

    private mutating func parseDocument() throws(YAMLSyntaxError) -> YAMLNode {
        var indent = try skipToContent()
        if indent == 0 && current == Ascii.percent {
            throw fail("directives (%YAML, %TAG) are not supported")
        }
        let explicitStart = indent == 0 && atMarker(Ascii.dash)
        if explicitStart {
            pos += 3
            try finishLine(orElse: "content on the '---' line is not supported; start the document on the next line")
            indent = try skipToContent()
        }
        guard let rootIndent = indent, !(rootIndent == 0 && atMarker(Ascii.dot)) else {
            // YAML 1.2 reads a lone '...' as an empty stream, libyaml as an
            // error: only '---' then '...' is an empty document here.
            if indent != nil && !explicitStart {
                throw fail("'...' ends a document that has not begun; remove it, or put '---' before it")
            }
            let end = location
            try finishDocument(rootIndent: 0)
            return YAMLNode(.scalar("", .plain), at: end)
        }
        if rootIndent == 0 && atMarker(Ascii.dash) { throw fail("multiple documents are not supported (a second '---')") }
        let root = try parseBlockNode(column: rootIndent, parent: -1)
        try finishDocument(rootIndent: rootIndent)
        return root
    }

    /// After the root node: only `...` and comments.
    private mutating func finishDocument(rootIndent: Int) throws(YAMLSyntaxError) {
        guard let indent = try skipToContent() else { return }
        if indent == 0 && atMarker(Ascii.dot) {
            pos += 3
            try finishLine(orElse: "content on the '...' line is not supported")
            guard try skipToContent() == nil else { throw fail("multiple documents are not supported; only comments may follow '...'") }
            return
        }
        if indent == 0 && atMarker(Ascii.dash) { throw fail("multiple documents are not supported (a second '---')") }
        if indent < rootIndent {
            throw fail("inconsistent indentation: this line is indented \(indent) spaces, less than the document's first line (\(rootIndent))")
        }
        throw fail("unexpected content after the document's value")
    }

    // MARK: - block structure

    /// A node whose first character is at `pos`, at column `column`
    /// (0-based), inside a block indented `parent` spaces (-1: the root).
    private mutating func parseBlockNode(column: Int, parent: Int) throws(YAMLSyntaxError) -> YAMLNode {
        if atSequenceItem { return try parseBlockSequence(column: column, endsAtKey: false) }
        if current == Ascii.openBracket || current == Ascii.openBrace {
            let node = try parseFlowCollection(parent: parent)
            try finishLine(orElse: current == Ascii.colon
                ? "a key must be a plain or quoted word, not a list or mapping (complex keys are not supported)"
                : nil)
            return node
        }
        let (node, isKey) = try parseScalarOrKey()
        if isKey { return try parseBlockMapping(column: column, firstKey: node.scalar!, at: node.location) }
        return node
    }

    /// A block scalar, the rest of its line checked; or, when `: ` follows
    /// it, a key (`isKey`), with `pos` left at the `:`.
    private mutating func parseScalarOrKey() throws(YAMLSyntaxError) -> (node: YAMLNode, isKey: Bool) {
        let start = location
        let (text, style) = try parseScalar(flow: false)
        let node = YAMLNode(.scalar(text, style), at: start)
        let afterScalar = pos
        skipSpaces()
        if current == Ascii.colon && isBlankOrEnd(pos + 1) { return (node, true) }
        pos = afterScalar
        try finishLine(orElse: nil)
        return (node, false)
    }

    private mutating func parseBlockMapping(column: Int, firstKey: String, at firstLocation: SourceLocation) throws(YAMLSyntaxError) -> YAMLNode {
        try enterCollection(at: firstLocation)
        defer { depth -= 1 }
        var entries: [YAMLEntry] = []
        var firstLine: [String: Int] = [:]
        var key = firstKey
        var keyLocation = firstLocation
        while true {
            try checkKeyLength(key, at: keyLocation)
            pos += 1 // the ':'
            if let earlier = firstLine[key] {
                throw YAMLSyntaxError("duplicate key '\(key)' (first defined on line \(earlier))", at: keyLocation)
            }
            firstLine[key] = keyLocation.line
            let value = try parseMappingValue(keyColumn: column)
            entries.append(YAMLEntry(key: key, at: keyLocation, value: value))
            guard let indent = try skipToContent(), !atDocumentMarker, indent >= column else { break }
            if indent > column {
                try rejectContinuation(of: value)
                throw fail("inconsistent indentation: expected \(column) spaces (like '\(entries[0].key)' on line \(entries[0].keyLocation.line)), found \(indent)")
            }
            if atSequenceItem {
                throw fail("expected a key at this indentation (like '\(entries[0].key)' on line \(entries[0].keyLocation.line)), found a list item ('- ')")
            }
            keyLocation = location
            key = try parseBlockKey()
        }
        return YAMLNode(.mapping(entries), at: firstLocation)
    }

    /// A more indented line after a one-line value would continue it in
    /// YAML (a multi-line plain scalar).
    private func rejectContinuation(of value: YAMLNode) throws(YAMLSyntaxError) {
        if value.scalar != nil && !value.isNull {
            throw fail("a value cannot continue on the next line (multi-line values are not supported); write it on one line, quoted if needed")
        }
    }

    /// A key at `pos` in a block mapping, up to (and leaving `pos` at) its `:`.
    private mutating func parseBlockKey() throws(YAMLSyntaxError) -> String {
        if current == Ascii.openBracket || current == Ascii.openBrace {
            throw fail("a key must be a plain or quoted word, not a list or mapping (complex keys are not supported)")
        }
        let (key, _) = try parseScalar(flow: false)
        skipSpaces()
        guard current == Ascii.colon && isBlankOrEnd(pos + 1) else {
            throw fail(atLineEnd ? "expected ':' after '\(key)' (every line of a mapping is 'key: value')" : "expected ':' after the key '\(key)'")
        }
        return key
    }

    /// What follows a key's `:`: a value on the same line, or a block below
    /// it (more indented, or a list at the key's own indentation).
    private mutating func parseMappingValue(keyColumn: Int) throws(YAMLSyntaxError) -> YAMLNode {
        let afterColon = location
        skipSpaces()
        if atLineEndOrComment {
            try finishLine(orElse: nil)
            guard let indent = try skipToContent(), !atDocumentMarker else { return YAMLNode(.scalar("", .plain), at: afterColon) }
            if indent > keyColumn { return try parseBlockNode(column: indent, parent: keyColumn) }
            if indent == keyColumn && atSequenceItem { return try parseBlockSequence(column: keyColumn, endsAtKey: true) }
            return YAMLNode(.scalar("", .plain), at: afterColon)
        }
        if atSequenceItem {
            throw fail("a list cannot start on the same line as its key; put the '- item' lines below it")
        }
        if current == Ascii.openBracket || current == Ascii.openBrace {
            let node = try parseFlowCollection(parent: keyColumn)
            try finishLine(orElse: nil)
            return node
        }
        let (node, isKey) = try parseScalarOrKey()
        if isKey {
            throw fail("a mapping cannot start on the same line as its key; put its 'key: value' lines below it, indented")
        }
        return node
    }

    /// Items `- …` at `column`. `endsAtKey`: the list is a mapping value
    /// written at the key's own indentation, so a key there ends it.
    private mutating func parseBlockSequence(column: Int, endsAtKey: Bool) throws(YAMLSyntaxError) -> YAMLNode {
        let start = location
        try enterCollection(at: start)
        defer { depth -= 1 }
        var items: [YAMLNode] = []
        while true {
            pos += 1 // the '-'
            let afterDash = location
            try skipSpacesAfterDash()
            if atLineEndOrComment {
                try finishLine(orElse: nil)
                if let indent = try skipToContent(), !atDocumentMarker, indent > column {
                    items.append(try parseBlockNode(column: indent, parent: column))
                } else {
                    items.append(YAMLNode(.scalar("", .plain), at: afterDash))
                }
            } else {
                items.append(try parseBlockNode(column: pos - lineStart, parent: column))
            }
            guard let indent = try skipToContent(), !atDocumentMarker, indent >= column else { break }
            if indent > column {
                try rejectContinuation(of: items[items.count - 1])
                throw fail("inconsistent indentation: expected \(column) spaces (like the '-' on line \(start.line)), found \(indent)")
            }
            guard atSequenceItem else {
                if endsAtKey { break }
                throw fail("expected a list item ('- ') at this indentation, like line \(start.line)")
            }
        }
        return YAMLNode(.sequence(items), at: start)
    }

    /// One more level of nesting, for a collection starting at `start`.
    /// The caller leaves it (`depth -= 1`) when the collection ends.
    private mutating func enterCollection(at start: SourceLocation) throws(YAMLSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw YAMLSyntaxError("lists and mappings nested more than \(Self.maximumDepth) levels deep are not supported", at: start)
        }
    }

    /// The blanks between a list item's `-` and its content. A tab there
    /// would be part of the content's indentation: YAML 1.1 parsers reject
    /// it, so we do too.
    private mutating func skipSpacesAfterDash() throws(YAMLSyntaxError) {
        while pos < b.count && (b[pos] == Ascii.space || b[pos] == Ascii.tab) {
            if b[pos] == Ascii.tab { throw fail("a tab after a list item's '-'; separate the item from its '-' with spaces") }
            pos += 1
        }
    }

    /// Before a key's `:` at `pos`: the key is at most `maximumKeyLength`
    /// characters, like YAML parsers require.
    private func checkKeyLength(_ key: String, at keyLocation: SourceLocation) throws(YAMLSyntaxError) {
        let length = location.column - keyLocation.column
        if length > Self.maximumKeyLength {
            throw YAMLSyntaxError("a key may be at most \(Self.maximumKeyLength) characters long up to its ':' (YAML's limit); this one has \(length)",
                                  at: keyLocation)
        }
    }

    // MARK: - flow collections

    private mutating func parseFlowCollection(parent: Int) throws(YAMLSyntaxError) -> YAMLNode {
        let open = current
        let close = open == Ascii.openBracket ? Ascii.closeBracket : Ascii.closeBrace
        let start = location
        try enterCollection(at: start)
        defer { depth -= 1 }
        let isMapping = open == Ascii.openBrace
        pos += 1
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var firstLine: [String: Int] = [:]
        while true {
            try skipFlowSpace(parent: parent, open: open, at: start)
            if current == close { pos += 1; break }
            if current == Ascii.comma { throw fail("empty entry: a ',' with no value before it") }
            if isMapping {
                if current == Ascii.openBracket || current == Ascii.openBrace {
                    throw fail("a key must be a plain or quoted word, not a list or mapping (complex keys are not supported)")
                }
                let keyLocation = location
                let (key, _) = try parseScalar(flow: true)
                try skipFlowSpace(parent: parent, open: open, at: start)
                var value = YAMLNode(.scalar("", .plain), at: location)
                if current == Ascii.colon {
                    guard line == keyLocation.line else {
                        throw fail("the ':' of the key '\(key)' must be on the key's line (\(keyLocation.line))")
                    }
                    try checkKeyLength(key, at: keyLocation)
                    pos += 1
                    try skipFlowSpace(parent: parent, open: open, at: start)
                    value = current == Ascii.comma || current == close
                        ? YAMLNode(.scalar("", .plain), at: location)
                        : try parseFlowNode(parent: parent)
                }
                if let earlier = firstLine[key] {
                    throw YAMLSyntaxError("duplicate key '\(key)' (first defined on line \(earlier))", at: keyLocation)
                }
                firstLine[key] = keyLocation.line
                entries.append(YAMLEntry(key: key, at: keyLocation, value: value))
            } else {
                items.append(try parseFlowNode(parent: parent))
                try skipFlowSpace(parent: parent, open: open, at: start)
                if current == Ascii.colon {
                    throw fail("'key: value' pairs inside [ ] are not supported; write {key: value}")
                }
            }
            try skipFlowSpace(parent: parent, open: open, at: start)
            if current == Ascii.comma { pos += 1; continue }
            if current == close { pos += 1; break }
            throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))' here")
        }
        return YAMLNode(isMapping ? .mapping(entries) : .sequence(items), at: start)
    }

    private mutating func parseFlowNode(parent: Int) throws(YAMLSyntaxError) -> YAMLNode {
        if current == Ascii.openBracket || current == Ascii.openBrace { return try parseFlowCollection(parent: parent) }
        let start = location
        let (text, style) = try parseScalar(flow: true)
        return YAMLNode(.scalar(text, style), at: start)
    }

    /// Spaces, line breaks and comments inside `[ ]` / `{ }`. A line that
    /// continues the collection must be indented more than its block, with
    /// spaces.
    private mutating func skipFlowSpace(parent: Int, open: UInt8, at start: SourceLocation) throws(YAMLSyntaxError) {
        var afterSpace = pos > 0 && isBlankOrEnd(pos - 1)
        var onNewLine = false
        while true {
            guard pos < b.count else {
                let close = open == Ascii.openBracket ? "]" : "}"
                throw YAMLSyntaxError("'\(Character(Unicode.Scalar(open)))' is never closed (no matching '\(close)')", at: start)
            }
            switch b[pos] {
            case Ascii.tab where onNewLine:
                throw fail("a tab in indentation; YAML indents with spaces only")
            case Ascii.space, Ascii.tab:
                pos += 1
                afterSpace = true
            case Ascii.newline:
                newline()
                afterSpace = true
                onNewLine = true
            case Ascii.hash where afterSpace:
                while pos < b.count && b[pos] != Ascii.newline { pos += 1 }
            default:
                let closing = b[pos] == Ascii.closeBracket || b[pos] == Ascii.closeBrace
                if onNewLine && !closing && pos - lineStart <= parent {
                    throw fail("this line continues a '\(Character(Unicode.Scalar(open)))' from line \(start.line) and must be indented more than \(parent) spaces")
                }
                return
            }
        }
    }

    // MARK: - scalars

    private mutating func parseScalar(flow: Bool) throws(YAMLSyntaxError) -> (String, YAMLScalarStyle) {
        switch current {
        case Ascii.singleQuote: return (try parseSingleQuoted(), .singleQuoted)
        case Ascii.doubleQuote: return (try parseDoubleQuoted(), .doubleQuoted)
        default: return (try parsePlain(flow: flow), .plain)
        }
    }

    private mutating func parsePlain(flow: Bool) throws(YAMLSyntaxError) -> String {
        try rejectIndicator(flow: flow)
        let start = pos
        var end = pos
        while pos < b.count {
            let c = b[pos]
            if c == Ascii.newline { break }
            if c == Ascii.colon && isBlankOrEnd(pos + 1) { break }
            if c == Ascii.colon && flow { try rejectGluedColon() }
            if c == Ascii.hash && (b[pos - 1] == Ascii.space || b[pos - 1] == Ascii.tab) { break }
            if flow && Ascii.isFlowIndicator(c) { break }
            pos += 1
            if c != Ascii.space && c != Ascii.tab { end = pos }
        }
        pos = end
        return String(decoding: b[start..<end], as: UTF8.self)
    }

    /// A `:` at `pos` inside a plain scalar in `[ ]` / `{ }`: YAML 1.2 ends
    /// the scalar at a `:` before `,` `[` `]` `{` `}`, YAML 1.1 parsers
    /// reject it (and a `:` before `?`), so neither may be written.
    private func rejectGluedColon() throws(YAMLSyntaxError) {
        let next = byte(pos + 1)
        guard Ascii.isFlowIndicator(next) || next == Ascii.question else { return }
        throw fail("':' directly before '\(Character(Unicode.Scalar(next)))' inside [ ] or { } means different things to different YAML parsers; put a space after the ':', or quote the value")
    }

    /// Characters that cannot start a plain scalar, each with what it means.
    private func rejectIndicator(flow: Bool) throws(YAMLSyntaxError) {
        let next = byte(pos + 1)
        let nextEnds = isBlankOrEnd(pos + 1) || (flow && Ascii.isFlowIndicator(next))
        switch current {
        case Ascii.ampersand: throw fail("anchors ('&') are not supported; repeat the value instead")
        case Ascii.asterisk: throw fail("aliases ('*') are not supported; repeat the value instead")
        case Ascii.exclamation: throw fail("tags ('!') are not supported; write the value without a tag")
        case Ascii.pipe, Ascii.greater:
            throw fail("block scalars ('|' and '>') are not supported; write the value on one line, quoted if needed")
        case Ascii.percent, Ascii.at, Ascii.backtick:
            throw fail("'\(Character(Unicode.Scalar(current)))' cannot start a value; quote the value")
        case Ascii.hash: throw fail("'#' starts a comment only after a space; quote a value that begins with '#'")
        case Ascii.question where nextEnds: throw fail("complex keys ('? ') are not supported")
        case Ascii.colon where nextEnds: throw fail("missing key before ':'")
        case Ascii.question where flow:
            throw fail("'?' cannot start a value inside [ ] or { } (YAML parsers read it as a complex key there); quote the value")
        case Ascii.colon where flow:
            throw fail("':' cannot start a value inside [ ] or { } (YAML parsers read it as a ':' after an empty key there); quote the value")
        case Ascii.dash where nextEnds:
            throw fail(flow ? "a block list item ('- ') cannot appear inside [ ] or { }" : "unexpected '- '")
        case Ascii.comma, Ascii.openBracket, Ascii.closeBracket, Ascii.openBrace, Ascii.closeBrace:
            throw fail("unexpected '\(Character(Unicode.Scalar(current)))'; quote a value that contains it")
        default: return
        }
    }

    private mutating func parseSingleQuoted() throws(YAMLSyntaxError) -> String {
        let start = location
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < b.count, b[pos] != Ascii.newline else { throw Self.unterminated(at: start) }
            if b[pos] == Ascii.singleQuote {
                if byte(pos + 1) == Ascii.singleQuote {
                    out.append(Ascii.singleQuote)
                    pos += 2
                    continue
                }
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            out.append(b[pos])
            pos += 1
        }
    }

    private mutating func parseDoubleQuoted() throws(YAMLSyntaxError) -> String {
        let start = location
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < b.count, b[pos] != Ascii.newline else { throw Self.unterminated(at: start) }
            switch b[pos] {
            case Ascii.doubleQuote:
                pos += 1
                return String(decoding: out, as: UTF8.self)
            case Ascii.backslash:
                let escape = location
                pos += 1
                guard pos < b.count, b[pos] != Ascii.newline else {
                    throw YAMLSyntaxError("a '\\' at the end of a line (multi-line quoted strings are not supported)", at: escape)
                }
                let scalar = try decodeEscape(at: escape)
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                out.append(b[pos])
                pos += 1
            }
        }
    }

    /// The escape after a `\` at `pos`; leaves `pos` after it.
    private mutating func decodeEscape(at escape: SourceLocation) throws(YAMLSyntaxError) -> Unicode.Scalar {
        let c = b[pos]
        pos += 1
        if let simple = YAMLInputCheck.simpleEscapes[c] { return simple }
        let digits: Int
        switch c {
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        default:
            let shown = c < 0x80 ? String(Character(Unicode.Scalar(c))) : "…"
            throw YAMLSyntaxError("unknown escape '\\\(shown)' in a double-quoted string (known: \\n \\t \\\\ \\\" \\uXXXX and YAML's others)", at: escape)
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard pos < b.count, let d = Ascii.hexValue(b[pos]) else {
                throw YAMLSyntaxError("'\\\(Character(Unicode.Scalar(c)))' needs \(digits) hexadecimal digits", at: escape)
            }
            value = value << 4 | d
            pos += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw YAMLSyntaxError("'\\\(Character(Unicode.Scalar(c)))' names no Unicode character (a surrogate or beyond U+10FFFF)", at: escape)
        }
        return scalar
    }

    private static func unterminated(at start: SourceLocation) -> YAMLSyntaxError {
        YAMLSyntaxError("this quoted string is not closed on its line (multi-line quoted strings are not supported)", at: start)
    }

    // MARK: - lines

    /// Moves to the first character of the current or next line that holds
    /// content (not blank, not only a comment) and returns its indentation;
    /// nil at the end of the input. Calling it again stays on that line.
    /// Indentation is spaces, on blank and comment lines too (YAML 1.1
    /// parsers reject a tab there).
    private mutating func skipToContent() throws(YAMLSyntaxError) -> Int? {
        while true {
            pos = lineStart
            while pos < b.count && b[pos] == Ascii.space { pos += 1 }
            if pos < b.count && b[pos] == Ascii.tab { throw fail("a tab in indentation; YAML indents with spaces only") }
            let indent = pos - lineStart
            guard pos < b.count else { return nil }
            if b[pos] == Ascii.hash {
                while pos < b.count && b[pos] != Ascii.newline { pos += 1 }
                guard pos < b.count else { return nil }
            }
            if b[pos] == Ascii.newline {
                newline()
                continue
            }
            return indent
        }
    }

    /// After a value: only blanks and a comment may follow on its line.
    /// Moves to the next line's start.
    private mutating func finishLine(orElse message: String?) throws(YAMLSyntaxError) {
        let hadSpace = pos == lineStart || isBlankOrEnd(pos - 1)
        let start = pos
        skipSpaces()
        if pos < b.count && b[pos] == Ascii.hash {
            guard hadSpace || pos > start else {
                throw fail("'#' starts a comment only after a space; quote a value that contains ' #'")
            }
            while pos < b.count && b[pos] != Ascii.newline { pos += 1 }
        }
        guard pos < b.count else { return }
        guard b[pos] == Ascii.newline else {
            if let message { throw fail(message) }
            if b[pos] == Ascii.colon { throw fail("unexpected ':'; a key is a plain or quoted word followed by ': '") }
            throw fail("unexpected text after the value; quote a value that contains it")
        }
        newline()
    }

    private mutating func newline() {
        pos += 1
        line += 1
        lineStart = pos
    }

    private mutating func skipSpaces() {
        while pos < b.count && (b[pos] == Ascii.space || b[pos] == Ascii.tab) { pos += 1 }
    }

    // MARK: - looking

    private func byte(_ offset: Int) -> UInt8 { offset < b.count ? b[offset] : 0 }
    private var current: UInt8 { byte(pos) }
    private var atLineEnd: Bool { pos >= b.count || b[pos] == Ascii.newline }
    private var atLineEndOrComment: Bool { atLineEnd || b[pos] == Ascii.hash }
    private var atSequenceItem: Bool { current == Ascii.dash && isBlankOrEnd(pos + 1) }

    private func isBlankOrEnd(_ offset: Int) -> Bool {
        offset >= b.count || b[offset] == Ascii.space || b[offset] == Ascii.newline || b[offset] == Ascii.tab
    }

    /// `---` or `...` at the start of the line, alone.
    private func atMarker(_ c: UInt8) -> Bool {
        pos == lineStart && byte(pos) == c && byte(pos + 1) == c && byte(pos + 2) == c && isBlankOrEnd(pos + 3)
    }

    private var atDocumentMarker: Bool { atMarker(Ascii.dash) || atMarker(Ascii.dot) }

    private var location: SourceLocation { location(of: pos) }

    /// `offset` must be on the current line.
    private func location(of offset: Int) -> SourceLocation {
        var column = 1
        var i = lineStart
        while i < offset {
            if b[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line, column: column)
    }

    private func fail(_ message: String) -> YAMLSyntaxError {
        YAMLSyntaxError(message, at: location)
    }
}
