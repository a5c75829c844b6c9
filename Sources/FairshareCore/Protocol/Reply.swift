/// A daemon reply: `{"ok": true, "result": …}` or
/// `{"ok": false, "error": {"code": …, "message": …, …details}}`.
public enum Reply: Equatable, Sendable {
    case success(JSON)
    case failure(ReplyError)

    public var json: JSON {
        switch self {
        case .success(let result): ["ok": true, "result": result]
        case .failure(let e): ["ok": false, "error": .object(e.json)]
        }
    }

    /// The reply as one line, newline included.
    public var line: String { json.serialized + "\n" }

    /// `line` as bytes, newline included.
    public var lineBytes: [UInt8] {
        var bytes = json.serializedBytes
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    public static func decode(_ json: JSON) -> Reply? {
        guard let ok = json["ok"]?.boolValue else { return nil }
        if ok { return .success(json["result"] ?? .null) }
        guard let e = json["error"]?.objectValue, let codeText = e["code"]?.stringValue,
              let message = e["message"]?.stringValue else { return nil }
        var details = e
        details["code"] = nil
        details["message"] = nil
        return .failure(ReplyError(code: ErrorCode(rawValue: codeText) ?? .internalError, message: message, details: details))
    }
}

public struct ReplyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    /// Machine-readable extras (for `refused`: `resource`, `bound`, `limit`, `fits`).
    public var details: JSONObject

    public init(code: ErrorCode, message: String, details: JSONObject = [:]) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }

    var json: JSONObject {
        var o: JSONObject = ["code": .string(code.rawValue), "message": .string(message)]
        for e in details.entries { o[e.key] = e.value }
        return o
    }
}
