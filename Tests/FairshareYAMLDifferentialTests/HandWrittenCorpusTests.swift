import FairshareCore
import Testing

/// Every document under Corpus/valid/ is in the subset: our parser and Yams
/// must both read it, to the same untyped tree, also with CRLF line ends
/// and with a byte order mark.
@Suite struct HandWrittenCorpusTests {
    @Test func corpusIsThere() {
        #expect(Corpus.valid.count >= 80)
    }

    @Test(arguments: Corpus.valid)
    func bothParsersAgree(file: String) throws {
        let bytes = try Corpus.bytes("valid", file)
        let result = Differential(bytes)
        #expect(result.oursTree != nil, "\(file)\n\(result.report)")
        #expect(result.agree, "\(file)\n\(result.report)")
    }

    @Test(arguments: Corpus.valid)
    func lineEndsAndBOMChangeNothing(file: String) throws {
        let bytes = try Corpus.bytes("valid", file)
        let original = try #require(Differential(bytes).oursTree, "\(file)")
        for (variant, changed) in [("CRLF", bytes.withCRLF), ("BOM", bytes.withBOM), ("BOM+CRLF", bytes.withBOM.withCRLF)] {
            let result = Differential(changed)
            #expect(result.oursTree == original, "\(file) with \(variant)\n\(result.report)")
            #expect(result.agree, "\(file) with \(variant)\n\(result.report)")
        }
    }
}
