/// `reload`, `set-policy` (`admin set-default`/`set-max`): the files now
/// in force, their warnings, and the allocations lowered to a new max.
public struct PolicyAppliedReply: ReplyValue {
    public var files: [String]
    public var warnings: [DiagnosticReply]
    public var clamped: [ClampedAllocation]

    public init(files: [String], warnings: [DiagnosticReply] = [], clamped: [ClampedAllocation] = []) {
        self.files = files
        self.warnings = warnings
        self.clamped = clamped
    }

    public var json: JSON {
        ["files": .array(files.map { .string($0) }), "warnings": .array(warnings.map(\.json)), "clamped": .array(clamped.map(\.json))]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(files: try f.strings("files"), warnings: try f.list("warnings"), clamped: try f.list("clamped"))
    }
}
