import Testing
@testable import FairshareCore

@Suite struct JSONTests {
    @Test func roundTripsNestedValues() throws {
        let value: JSON = ["a": [1, 2.5, "x\n\"y\"", true, nil], "b": ["c": "ü\u{1}"]]
        let text = value.serialized
        #expect(!text.contains("\n"))
        #expect(try JSON.parse(text) == value)
        #expect(try JSON.parse(value.pretty) == value)
    }

    @Test func keepsKeyOrder() {
        let value: JSON = ["z": 1, "a": 2]
        #expect(value.serialized == #"{"z":1,"a":2}"#)
    }

    @Test func decodesEscapesAndSurrogates() throws {
        #expect(try JSON.parse(#""\u00e9\ud83d\ude00\/""#) == .string("é😀/"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "tru", "\"abc", "1.", "-", "{\"a\" 1}", "[1] 2",
        "\"\\ud800\"", "{\"a\":1,\"a\":2}", "\"\u{1}\"",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }

    @Test func capsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func integersStayIntegers() {
        #expect(JSON.uint(67_108_864).serialized == "67108864")
        #expect(JSON.number(0.5).serialized == "0.5")
        #expect(JSON.number(0.5).uint64Value == nil)
        #expect(JSON.number(-1).uint64Value == nil)
    }
}

@Suite struct Base64Tests {
    @Test func roundTripsEveryLength() {
        for n in 0..<70 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.decode("Zm8") == nil)
        #expect(Base64.decode("Z=m8") == nil)
        #expect(Base64.decode("Zm8*") == nil)
    }
}
