import Testing

/// Random documents from a fixed seed: our tree must be the generated tree,
/// and Yams must read the same. A failure names its index; the document is
/// `DocumentGenerator.document(seed: GeneratedCorpusTests.seed &+ index)`.
@Suite struct GeneratedCorpusTests {
    static let seed: UInt64 = 0x0FA1_25AA_2E5E_ED01
    static let count = 1000

    @Test(arguments: 0..<count)
    func generatedDocumentReadsAsGenerated(index: Int) {
        let document = DocumentGenerator.document(seed: Self.seed &+ UInt64(index))
        let result = Differential(document.bytes)
        #expect(result.oursTree == document.tree, "document \(index):\n\(document.text)\nexpected: \(document.tree)\n\(result.report)")
        #expect(result.yamsTree == document.tree.asYamsReadsIt, "document \(index):\n\(document.text)\nexpected: \(document.tree)\n\(result.report)")
    }

    @Test func generatorIsDeterministic() {
        let a = DocumentGenerator.document(seed: Self.seed)
        let b = DocumentGenerator.document(seed: Self.seed)
        #expect(a.bytes == b.bytes)
    }
}
