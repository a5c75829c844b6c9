import FairshareCore
import GRPCCore

/// fairshared's errors as gRPC status codes (issue 21): what a remote
/// client sees for each protocol error code. The message is fairshared's
/// own (it says what to do); a refusal's details travel as metadata
/// (`fairshare-resource`, `fairshare-bound`, `fairshare-fits`), so a client
/// can offer what fits.
public enum RemoteErrors {
    public static func code(for code: ErrorCode) -> RPCError.Code {
        switch code {
        case .permissionDenied: .permissionDenied
        case .noSuchJob: .notFound
        case .noAllocation: .failedPrecondition
        case .refused, .rateLimited: .resourceExhausted
        case .badRequest, .lineTooLong, .invalidPolicy: .invalidArgument
        case .unsupportedVersion, .unknownOperation: .unimplemented
        case .unavailable, .callerGone: .unavailable
        case .systemd, .internalError: .internalError
        }
    }

    public static func rpcError(_ e: ReplyError) -> RPCError {
        var metadata: Metadata = [:]
        for (key, value) in e.details.entries {
            let text = value.stringValue ?? value.serialized
            metadata.addString(text, forKey: "fairshare-" + String(key.map { $0 == "_" ? "-" : $0 }))
        }
        metadata.addString(e.code.rawValue, forKey: "fairshare-code")
        return RPCError(code: code(for: e.code), message: e.message, metadata: metadata)
    }
}
