import Testing
import Yams

/// What Yams 6.2.2 gets wrong that the harness works around (see
/// `Differential` and `UntypedTree.asYamsReadsIt`). When one of these
/// fails, Yams changed: drop the workaround.
@Suite struct YamsQuirksTests {
    /// libyaml, with its encoding set by Yams, reads a leading BOM as a
    /// character of the first line: the first key seems indented one column
    /// more than the second.
    @Test func aLeadingByteOrderMarkShiftsTheFirstLine() {
        #expect(throws: (any Error).self) { try Yams.compose(yaml: "\u{FEFF}a: 1\nb: 2\n") }
        #expect(throws: Never.self) { try Yams.compose(yaml: "a: 1\nb: 2\n") }
    }

    /// A scalar that starts with U+FEFF (written "\uFEFF") loses it:
    /// Foundation's `String(bytes:encoding:)` drops it as a byte order mark.
    @Test func aScalarLosesALeadingZeroWidthNoBreakSpace() throws {
        let node = try Yams.compose(yaml: #"a: "\uFEFFx\uFEFF""#)
        #expect(node?.mapping?["a"]?.string == "x\u{FEFF}")
    }
}
