/// The lines of a source file, for showing the offending one under an
/// error. Tolerates what the parser may reject (invalid UTF-8, CR).
struct SourceLines {
    private let lines: [ArraySlice<UInt8>]

    init(_ bytes: [UInt8]) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        lines = body.split(separator: 0x0A, omittingEmptySubsequences: false)
    }

    /// Line `number` (1-based) without its line end, nil beyond the file.
    subscript(number: Int) -> String? {
        guard lines.indices.contains(number - 1) else { return nil }
        var line = lines[number - 1]
        if line.last == 0x0D { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
