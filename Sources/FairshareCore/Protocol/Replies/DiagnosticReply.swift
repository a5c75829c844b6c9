/// A policy error or warning as replies carry it (`reload`'s warnings, an
/// invalid policy's `diagnostics`): `text` is the whole report, as
/// `admin check` prints it.
public struct DiagnosticReply: ReplyValue {
    public var severity: String
    public var path: String
    public var line: UInt64?
    public var column: UInt64?
    public var message: String
    public var text: String

    public init(severity: String, path: String, line: UInt64?, column: UInt64?, message: String, text: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.text = text
    }

    public init(_ d: PolicyDiagnostic) {
        self.init(severity: d.severity.rawValue, path: d.path, line: d.location.map { UInt64($0.line) },
                  column: d.location.map { UInt64($0.column) }, message: d.message, text: d.description)
    }

    public var json: JSON {
        ["severity": .string(severity), "path": .string(path), "line": .orNull(line, JSON.uint), "column": .orNull(column, JSON.uint),
         "message": .string(message), "text": .string(text)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(severity: try f.string("severity"), path: try f.string("path"), line: try f.optionalUInt64("line"),
                  column: try f.optionalUInt64("column"), message: try f.string("message"), text: try f.string("text"))
    }
}
