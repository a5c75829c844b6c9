import FairshareCLI
import FairshareCore
import GRPCCore

/// Any failure of a remote call as what the local command would print and
/// exit with (fairshare(1), EXIT STATUS).
public struct RemoteFailure: Sendable {
    /// "HOST:PORT", for "cannot reach fairshare-remote at …".
    public var endpoint: String
    /// Our TLS files, to name the one to check when the handshake failed;
    /// nil in tests over plaintext.
    public var credentials: RemoteCredentials?

    public init(endpoint: String, credentials: RemoteCredentials?) {
        self.endpoint = endpoint
        self.credentials = credentials
    }

    public func failure(_ error: any Error) -> ClientFailure {
        switch error {
        case let failure as ClientFailure: return failure
        case let rpc as RPCError: return failure(rpc)
        case let runtime as RuntimeError:
            // The transport could not be made or run (no resolver, no TLS context).
            return unreachable(runtime.message, causes: chain(runtime))
        case is CancellationError:
            return ClientFailure("interrupted", status: ExitStatus.unavailable)
        default:
            return ClientFailure("fairshare-remote at \(endpoint): \(error)", status: ExitStatus.daemonFailure)
        }
    }

    private func failure(_ error: RPCError) -> ClientFailure {
        if let reply = RemoteReplyError.from(error) { return ClientFailure.from(reply) }
        switch error.code {
        case .permissionDenied, .unauthenticated:
            return ClientFailure(error.message, status: ExitStatus.permissionDenied)
        case .unavailable:
            return unreachable(error.message, causes: chain(error))
        case .deadlineExceeded:
            return ClientFailure("fairshare-remote at \(endpoint) did not answer in time (\(error.message))", status: ExitStatus.unavailable)
        case .notFound, .failedPrecondition, .resourceExhausted:
            return ClientFailure(error.message, status: ExitStatus.refused)
        case .invalidArgument:
            return ClientFailure(error.message, status: ExitStatus.usage)
        default:
            return ClientFailure("fairshare-remote at \(endpoint) failed: \(error.message) (\(error.code))", status: ExitStatus.daemonFailure)
        }
    }

    /// 69, with the innermost cause and, for a TLS failure, the file to check.
    private func unreachable(_ message: String, causes: [String]) -> ClientFailure {
        var text = "cannot reach fairshare-remote at \(endpoint): \(message)"
        if let innermost = causes.last, innermost != message { text += " (\(innermost))" }
        if let hint = TLSFailureHint.classify(causes + [message]).map({ $0.advice(credentials) }) { text += "; " + hint }
        return ClientFailure(text, status: ExitStatus.unavailable)
    }

    /// The descriptions of an error's causes, outermost first.
    private func chain(_ error: any Error) -> [String] {
        var texts: [String] = []
        var next: (any Error)? = (error as? RPCError)?.cause ?? (error as? RuntimeError)?.cause
        while let cause = next, texts.count < 8 {
            texts.append(String(describing: cause))
            next = (cause as? RPCError)?.cause ?? (cause as? RuntimeError)?.cause
        }
        return texts
    }
}
