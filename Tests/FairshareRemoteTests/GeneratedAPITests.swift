import Testing
import Foundation
import SwiftProtobuf
@testable import FairshareRemote

/// The committed, generated API code matches contrib/proto: messages keep
/// bytes as bytes (an argument need not be UTF-8) and the service names
/// its methods as the proto does.
@Suite struct GeneratedAPITests {
    @Test func startRequestKeepsArgumentBytes() throws {
        var request = Fairshare_Remote_V1_StartRequest()
        request.argv = [Data("sh".utf8), Data([0x66, 0xFF, 0x0A])]
        request.name = "train"
        request.limits.cpu = "1.5"
        let decoded = try Fairshare_Remote_V1_StartRequest(serializedBytes: try request.serializedBytes() as [UInt8])
        #expect(decoded == request)
        #expect(decoded.argv[1] == Data([0x66, 0xFF, 0x0A]))
    }

    @Test func queryReplyEndsWithAnExitCodeOrASignal() {
        var reply = Fairshare_Remote_V1_QueryReply()
        reply.state = .exited
        reply.signal = 9
        #expect(reply.end == .signal(9))
        #expect(reply.exitCode == 0, "one of the two")
    }

    /// The seed's four, `List` for `fairshare --remote jobs`, and `Status`.
    @Test func theServiceHasTheSeedsMethods() {
        let methods = Fairshare_Remote_V1_Jobs.Method.descriptors.map(\.method)
        #expect(methods == ["Start", "Stop", "Query", "List", "Stream", "Status"])
    }
}
