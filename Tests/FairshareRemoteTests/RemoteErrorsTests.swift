import FairshareCore
import GRPCCore
import Testing
@testable import FairshareRemote

/// The issue's mapping: PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION,
/// RESOURCE_EXHAUSTED for a refusal, with what fits.
@Suite struct RemoteErrorsTests {
    @Test func theIssuesCodes() {
        #expect(RemoteErrors.code(for: .permissionDenied) == .permissionDenied)
        #expect(RemoteErrors.code(for: .noSuchJob) == .notFound)
        #expect(RemoteErrors.code(for: .noAllocation) == .failedPrecondition)
        #expect(RemoteErrors.code(for: .refused) == .resourceExhausted)
    }

    @Test func aRefusalCarriesWhatFits() {
        let e = RemoteErrors.rpcError(ReplyError(code: .refused, message: "cpu: 3 CPUs is more than your max of 2",
                                                 details: ["resource": "cpu", "bound": "max", "fits": 2]))
        #expect(e.code == .resourceExhausted)
        #expect(e.message == "cpu: 3 CPUs is more than your max of 2")
        #expect(Array(e.metadata[stringValues: "fairshare-fits"]) == ["2"])
        #expect(Array(e.metadata[stringValues: "fairshare-resource"]) == ["cpu"])
        #expect(Array(e.metadata[stringValues: "fairshare-code"]) == ["refused"])
    }
}
