import Foundation
import Testing

/// Documents with a few random edits (a character deleted, doubled or
/// inserted, a line re-indented or swapped), from the generator and from
/// the hand-written corpus: most are no longer in the subset. Whatever our
/// parser accepts, Yams must read the same: our parser never returns a tree
/// another YAML parser reads differently.
@Suite struct MutationTests {
    static let seed: UInt64 = 0x5EED_0FBA_D1DE_A500
    /// FAIRSHARE_MUTANTS=100000 runs more.
    static let count = ProcessInfo.processInfo.environment["FAIRSHARE_MUTANTS"].flatMap(Int.init) ?? 10_000
    static let batches = 40

    /// Characters that mean something to YAML, and a few that do not.
    private static let insertions: [Unicode.Scalar] = Array(":-?#,[]{}'\"\\&*!|>%@` \t\nax1.~".unicodeScalars)

    private static let handWritten = Corpus.valid.compactMap { try? Corpus.bytes("valid", $0) }

    /// Mutant `index`: even ones start from a generated document, odd ones
    /// from a hand-written one.
    static func mutant(_ index: Int) -> String {
        var rng = SplitMix64(seed: seed &+ UInt64(index))
        let original = index % 2 == 0 || handWritten.isEmpty
            ? DocumentGenerator.document(seed: rng.next()).text
            : String(decoding: handWritten[rng.below(handWritten.count)], as: UTF8.self)
        var scalars = Array(original.unicodeScalars)
        for _ in 0..<rng.int(1...3) where !scalars.isEmpty {
            let at = rng.below(scalars.count)
            switch rng.below(6) {
            case 0: scalars.remove(at: at)
            case 1: scalars.insert(scalars[at], at: at)
            case 2, 3: scalars.insert(rng.pick(insertions), at: at)
            case 4: scalars = reindented(scalars, at: at, by: rng.pick([-2, -1, 1, 2]))
            default: scalars = swappedLines(scalars, at: at)
            }
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// The line holding `at` with `delta` more (or fewer) leading spaces.
    private static func reindented(_ s: [Unicode.Scalar], at: Int, by delta: Int) -> [Unicode.Scalar] {
        let start = s[..<at].lastIndex(of: "\n").map { $0 + 1 } ?? 0
        if delta > 0 { return Array(s[..<start]) + Array(repeating: " ", count: delta) + Array(s[start...]) }
        var end = start
        while end < s.count && end - start < -delta && s[end] == " " { end += 1 }
        return Array(s[..<start]) + Array(s[end...])
    }

    /// The line holding `at` swapped with the next one.
    private static func swappedLines(_ s: [Unicode.Scalar], at: Int) -> [Unicode.Scalar] {
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let line = s[..<at].filter { $0 == "\n" }.count
        guard line + 1 < lines.count else { return s }
        lines.swapAt(line, line + 1)
        return Array(lines.joined(separator: ["\n"]))
    }

    @Test(arguments: 0..<batches)
    func whatWeAcceptYamsReadsTheSame(batch: Int) {
        for index in stride(from: batch, to: Self.count, by: Self.batches) {
            let text = Self.mutant(index)
            let result = Differential(text)
            guard let ours = result.oursTree else { continue }
            #expect(result.yamsTree == ours.asYamsReadsIt, "mutant \(index):\n\(text)\n\(result.report)")
        }
    }
}
