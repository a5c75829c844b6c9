import FairshareCore

/// Why a client command failed: the message for stderr and the exit code.
public struct ClientFailure: Error {
    public var message: String
    public var status: Int32

    public init(_ message: String, status: Int32) {
        self.message = message
        self.status = status
    }

    /// The exit status for an error the daemon sent.
    public static func from(_ error: ReplyError) -> ClientFailure {
        let status: Int32 = switch error.code {
        case .refused, .noAllocation, .callerGone, .invalidPolicy, .noSuchJob: ExitStatus.refused
        case .permissionDenied: ExitStatus.permissionDenied
        case .unavailable, .rateLimited: ExitStatus.unavailable
        case .badRequest, .lineTooLong, .unsupportedVersion, .unknownOperation: ExitStatus.protocolError
        case .systemd, .internalError: ExitStatus.daemonFailure
        }
        let prefix = error.code == .refused ? "request refused: " : ""
        // An invalid policy: every diagnostic, as `admin check` prints them.
        let listed = (error.details["diagnostics"]?.arrayValue ?? []).compactMap { try? DiagnosticReply(json: $0).text }
        return ClientFailure(([prefix + error.message] + listed).joined(separator: "\n"), status: status)
    }
}

extension ReplyValue {
    /// The daemon's result read as this reply; one the client cannot read
    /// (a daemon of another version) is a protocol error that names the field.
    static func read(_ result: JSON) throws(ClientFailure) -> Self {
        do {
            return try Self(json: result)
        } catch {
            throw ClientFailure(error.description, status: ExitStatus.protocolError)
        }
    }
}
