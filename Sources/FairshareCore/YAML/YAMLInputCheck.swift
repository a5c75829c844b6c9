/// What the parser may assume of its input: UTF-8 without a BOM, LF line
/// ends, no control characters but tab and LF, none of the characters that
/// YAML 1.1 takes for line breaks (U+0085, U+2028, U+2029).
enum YAMLInputCheck {
    /// The input without its BOM, with CRLF as LF and a final LF, or the first place it
    /// breaks those rules.
    static func normalized(_ input: [UInt8]) throws(YAMLSyntaxError) -> [UInt8] {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = input.starts(with: bom) ? input[3...] : input[...]
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var line = 1
        var column = 1
        var i = body.startIndex
        while i < body.endIndex {
            let c = body[i]
            if c < 0x80 {
                switch c {
                case Ascii.newline:
                    out.append(c)
                    line += 1
                    column = 0
                case Ascii.carriageReturn:
                    guard i + 1 < body.endIndex, body[i + 1] == Ascii.newline else {
                        throw YAMLSyntaxError("a carriage return not followed by a line feed (only LF and CRLF line ends are supported)",
                                              at: SourceLocation(line: line, column: column))
                    }
                case Ascii.tab:
                    out.append(c)
                case 0..<0x20, 0x7F:
                    throw YAMLSyntaxError("control character U+\(hex4(UInt32(c))) is not allowed in a policy file",
                                          at: SourceLocation(line: line, column: column))
                default:
                    out.append(c)
                }
                i += 1
                column += 1
                continue
            }
            guard let (scalar, length) = decode(body, at: i) else {
                throw YAMLSyntaxError("the file is not valid UTF-8 (byte 0x\(String(c, radix: 16, uppercase: true)))",
                                      at: SourceLocation(line: line, column: column))
            }
            if let escape = yaml11LineBreaks[scalar] {
                throw YAMLSyntaxError("character U+\(hex4(scalar)) is a line break to YAML 1.1 parsers and text to YAML 1.2 ones, so it is not allowed in a policy file; in a double-quoted string, write it as \\\(escape)",
                                      at: SourceLocation(line: line, column: column))
            }
            if (0x80...0x9F).contains(scalar) || scalar == 0xFEFF || scalar == 0xFFFE || scalar == 0xFFFF {
                throw YAMLSyntaxError("character U+\(hex4(scalar)) is not allowed in a policy file",
                                      at: SourceLocation(line: line, column: column))
            }
            out.append(contentsOf: body[i..<i + length])
            i += length
            column += 1
        }
        // Every line, the last included, ends with LF: the parser moves from
        // line to line by its line feeds.
        if let last = out.last, last != Ascii.newline { out.append(Ascii.newline) }
        return out
    }

    /// One multi-byte UTF-8 sequence at `i`: its scalar value and length,
    /// or nil if it is malformed, overlong or a surrogate.
    private static func decode(_ b: ArraySlice<UInt8>, at i: Int) -> (UInt32, Int)? {
        let lead = b[i]
        let length: Int
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard i + length <= b.endIndex else { return nil }
        for k in 1..<length {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        let minimum: UInt32 = length == 3 ? 0x800 : length == 4 ? 0x10000 : 0x80
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    private static func hex4(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Characters that YAML 1.1 (libyaml, PyYAML) reads as line breaks and
    /// YAML 1.2 as text, each with the escape that writes it in a
    /// double-quoted string. Raw, they would give a different document to
    /// each reader, so the input may not hold them.
    static let yaml11LineBreaks: [UInt32: Character] = [0x85: "N", 0x2028: "L", 0x2029: "P"]

    /// `\c` escapes of double-quoted scalars that stand for one character.
    static let simpleEscapes: [UInt8: Unicode.Scalar] = [
        UInt8(ascii: "0"): "\u{0}", UInt8(ascii: "a"): "\u{7}", UInt8(ascii: "b"): "\u{8}",
        UInt8(ascii: "t"): "\t", Ascii.tab: "\t", UInt8(ascii: "n"): "\n", UInt8(ascii: "v"): "\u{B}",
        UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "r"): "\r", UInt8(ascii: "e"): "\u{1B}", Ascii.space: " ",
        Ascii.doubleQuote: "\"", UInt8(ascii: "/"): "/", Ascii.backslash: "\\", UInt8(ascii: "N"): "\u{85}",
        UInt8(ascii: "_"): "\u{A0}", UInt8(ascii: "L"): "\u{2028}", UInt8(ascii: "P"): "\u{2029}",
    ]
}
