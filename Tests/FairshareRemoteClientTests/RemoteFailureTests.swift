import FairshareCLI
import FairshareCore
import FairshareRemote
@testable import FairshareRemoteClient
import GRPCCore
import Testing

@Suite struct RemoteFailureTests {
    let failures = RemoteFailure(endpoint: "gpu1:7443", credentials: nil)

    /// Every error fairshared sends reaches the remote user with the local
    /// message and exit status, through the gateway's mapping and back.
    @Test(arguments: ErrorCode.allCases)
    func fairsharedsErrorsAsLocally(_ code: ErrorCode) {
        let original = ReplyError(code: code, message: "the daemon says \(code.rawValue)",
                                  details: ["resource": "cpu", "bound": "policy max", "fits": "1.5"])
        let remote = failures.failure(RemoteErrors.rpcError(original))
        let local = ClientFailure.from(original)
        #expect(remote.message == local.message)
        #expect(remote.status == local.status)
    }

    @Test func anInvalidPolicysDiagnosticsAreListed() throws {
        let diagnostic = JSON.object(["file": "policy.yaml", "line": 3, "column": 7, "severity": "error", "message": "unknown key 'cpus'"])
        let original = ReplyError(code: .invalidPolicy, message: "the policy has 1 error", details: ["diagnostics": .array([diagnostic])])
        let local = ClientFailure.from(original)
        let remote = failures.failure(RemoteErrors.rpcError(original))
        #expect(remote.message == local.message)
        #expect(remote.status == ExitStatus.refused)
    }

    @Test func theDetailsComeBack() throws {
        let original = ReplyError(code: .refused, message: "over your cpu maximum", details: ["resource": "cpu", "fits_now": "0.5"])
        let error = RemoteErrors.rpcError(original)
        #expect(RemoteReplyError.from(error) == original)
    }

    @Test(arguments: [
        (RPCError.Code.permissionDenied, ExitStatus.permissionDenied), (.unauthenticated, ExitStatus.permissionDenied),
        (.notFound, ExitStatus.refused), (.failedPrecondition, ExitStatus.refused), (.resourceExhausted, ExitStatus.refused),
        (.invalidArgument, ExitStatus.usage), (.internalError, ExitStatus.daemonFailure), (.unimplemented, ExitStatus.daemonFailure),
        (.unknown, ExitStatus.daemonFailure),
    ])
    func theGatewaysOwnErrors(_ code: RPCError.Code, _ status: Int32) {
        let failure = failures.failure(RPCError(code: code, message: "a reader certificate cannot start jobs"))
        #expect(failure.status == status)
        #expect(failure.message.contains("a reader certificate cannot start jobs"))
    }

    @Test func unavailableSaysWhereItTried() {
        let failure = failures.failure(RPCError(code: .unavailable, message: "connection refused"))
        #expect(failure.status == ExitStatus.unavailable)
        #expect(failure.message == "cannot reach fairshare-remote at gpu1:7443: connection refused")
    }

    @Test func anUnknownFairshareCodeIsTheGatewaysError() {
        var metadata = Metadata()
        metadata.addString("from_the_future", forKey: "fairshare-code")
        let failure = failures.failure(RPCError(code: .resourceExhausted, message: "later", metadata: metadata))
        #expect(failure.status == ExitStatus.refused)
        #expect(failure.message == "later")
    }

    @Test func tlsFailuresNameTheFileToCheck() {
        #expect(TLSFailureHint.classify(["handshakeFailed(sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED]))"])
                == .serverCertificateRejected)
        #expect(TLSFailureHint.classify(["error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA"]) == .clientCertificateRejected)
        #expect(TLSFailureHint.classify(["error:1000045c:SSL routines:OPENSSL_internal:TLSV13_ALERT_CERTIFICATE_REQUIRED"]) == .clientCertificateRejected)
        #expect(TLSFailureHint.classify(["connection refused"]) == nil)
    }
}
