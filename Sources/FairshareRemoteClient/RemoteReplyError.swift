import FairshareCore
import GRPCCore

/// fairshared's own error, as the gateway forwards it (FairshareRemote's
/// `RemoteErrors`): metadata `fairshare-code` is fairshared's ErrorCode,
/// each other `fairshare-KEY` one of its details, the message its message.
enum RemoteReplyError {
    static let codeKey = "fairshare-code"
    static let detailPrefix = "fairshare-"

    /// The `ReplyError` fairshared sent, or nil when the error did not come
    /// from fairshared (the gateway's own, or the transport's).
    ///
    /// A detail travels as a string: fairshared's strings as they are,
    /// anything else as JSON text. A value that reads as a JSON array or
    /// object (`diagnostics`) is read back as one; everything else stays a
    /// string, since "2" may have been either.
    static func from(_ error: RPCError) -> ReplyError? {
        guard let raw = error.metadata[stringValues: codeKey].first(where: { _ in true }),
              let code = ErrorCode(rawValue: raw) else { return nil }
        var details = JSONObject()
        for (key, value) in error.metadata {
            guard key.hasPrefix(detailPrefix), key != codeKey, case .string(let text) = value else { continue }
            let name = String(key.dropFirst(detailPrefix.count).map { $0 == "-" ? "_" : $0 })
            details[name] = structured(text) ?? .string(text)
        }
        return ReplyError(code: code, message: error.message, details: details)
    }

    private static func structured(_ text: String) -> JSON? {
        guard let first = text.utf8.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "{") else { return nil }
        return try? JSON.parse(text)
    }
}
