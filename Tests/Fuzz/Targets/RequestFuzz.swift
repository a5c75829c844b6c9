// libFuzzer target: one protocol line. Built and run by Tests/Fuzz/run.
//
// The bytes go through the JSON parser; what parses must serialize and parse
// back to the same value. Then the value is decoded as a client request and
// as a reply, and whatever decodes must survive encode -> serialize -> parse
// -> decode unchanged: a difference is a finding, so it traps.

import FairshareCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let json = try? JSON.parse(bytes) else { return 0 }

    let text = json.serialized
    guard let reparsed = try? JSON.parse(text) else { preconditionFailure("serialized JSON does not parse: \(text)") }
    precondition(reparsed == json, "JSON changed on a round trip: \(text)")
    _ = json.pretty

    if let request = try? ClientRequest.decode(json) {
        let line = request.json.serialized
        guard let again = try? ClientRequest.decode(try JSON.parse(line)) else {
            preconditionFailure("encoded request does not decode: \(line)")
        }
        precondition(again == request, "request changed on a round trip: \(request) -> \(line) -> \(again)")
    }

    if let reply = Reply.decode(json) {
        guard let again = try? JSON.parse(reply.line), Reply.decode(again) == reply else {
            preconditionFailure("reply changed on a round trip: \(reply.line)")
        }
    }
    return 0
}
