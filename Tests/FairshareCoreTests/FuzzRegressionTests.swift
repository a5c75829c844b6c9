import Testing
@testable import FairshareCore

/// Inputs libFuzzer found to crash a target (Tests/Fuzz), byte for byte,
/// each with what the code must do with it now.
@Suite struct FuzzRegressionTests {
    /// request target: a number beyond Double's range read as infinity,
    /// which serializes as `null`, so the value did not survive a round trip.
    /// It is refused now, like any other number JSON cannot carry.
    @Test func refusesNumberBeyondDoubleRange() throws {
        let input: [UInt8] = Array("3e111111111137".utf8)
        #expect(throws: JSONParseError(offset: 14, reason: "number out of range")) { try JSON.parse(input) }
        #expect(throws: JSONParseError.self) { try JSON.parse(#"{"v":1,"op":"request","cpu":-1e400}"#) }
        #expect(try JSON.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
    }
}
