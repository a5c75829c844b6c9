import Testing
@testable import FairshareCore

@Suite struct ProtocolTests {
    @Test func requestRoundTrips() throws {
        let requests: [ClientRequest] = [
            .status, .whoami, .release, .exec(ExecRequest()),
            .request(ResourceRequest(cpu: CPUQuantity(usecPerSecond: 500_000), mem: .mebibytes(64), tasks: TaskLimit(32))),
            .request(ResourceRequest(tasks: .infinity)),
            .request(ResourceRequest()),
        ]
        for r in requests {
            let decoded = try ClientRequest.decode(try JSON.parse(r.json.serialized))
            #expect(decoded == r)
        }
    }

    @Test func commandLineSizeCountsEachWordAndItsSeparator() {
        #expect(RunRequest.commandBytes(["/bin/echo", "hé"]) == 14)
        #expect(throws: InputRejection.self) { try RunRequest.checkCommandSize([String(repeating: "x", count: RunRequest.maxCommandBytes)]) }
        #expect(throws: Never.self) { try RunRequest.checkCommandSize([String(repeating: "x", count: RunRequest.maxCommandBytes - 1)]) }
    }

    @Test func refusesWrongVersion() {
        #expect(throws: RequestDecodingError(.unsupportedVersion, "protocol version 2 is not supported (this daemon speaks 1)")) {
            try ClientRequest.decode(["v": 2, "op": "status"])
        }
    }

    @Test func refusesMissingFieldsAndUnknownOps() {
        #expect(throws: RequestDecodingError.self) { try ClientRequest.decode(["op": "status"]) }
        #expect(throws: RequestDecodingError(.unknownOperation, "unknown operation 'dance'")) {
            try ClientRequest.decode(["v": 1, "op": "dance"])
        }
        #expect(throws: RequestDecodingError.self) { try ClientRequest.decode(["v": 1, "op": "request", "cpu": "lots"]) }
        #expect(throws: RequestDecodingError.self) { try ClientRequest.decode(["v": 1, "op": "request", "mem": -5]) }
        #expect(throws: RequestDecodingError.self) { try ClientRequest.decode([1, 2]) }
    }

    @Test func replyRoundTrips() throws {
        let ok = Reply.success(["slice": "fairshare-1.slice"])
        #expect(Reply.decode(try JSON.parse(ok.line)) == ok)
        let bad = Reply.failure(ReplyError(code: .refused, message: "no", details: ["resource": "cpu"]))
        #expect(Reply.decode(try JSON.parse(bad.line)) == bad)
        #expect(bad.line.hasSuffix("}\n"))
        #expect(Reply.decode(["result": 1]) == nil)
    }

    @Test func framerSplitsLinesAcrossChunks() {
        var f = LineFramer(limit: 16)
        #expect(f.feed(Array("ab".utf8)) == [])
        #expect(f.feed(Array("c\nde\n".utf8)) == [.line(Array("abc".utf8)), .line(Array("de".utf8))])
        #expect(f.feed(Array("\n".utf8)) == [.line([])])
    }

    @Test func framerStopsAtTheLimit() {
        var f = LineFramer(limit: 8)
        #expect(f.feed([UInt8](repeating: 65, count: 7)) == [])
        #expect(f.feed([65, 65]) == [.overflow])
        #expect(f.feed(Array("ok\n".utf8)) == [])
    }
}
