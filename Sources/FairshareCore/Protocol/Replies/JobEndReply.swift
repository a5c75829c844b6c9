/// The `end` of a job, in replies and in `state.json`:
/// `{"exit_status": 0, "signal": null, "stopped": false, "ended": …}`.
/// A status must be a whole Int32; a missing `stopped` reads as false.
extension JobEnd: ReplyValue {
    public var json: JSON {
        ["exit_status": .orNull(exitStatus) { .number(Double($0)) }, "signal": .orNull(signal) { .number(Double($0)) },
         "stopped": .bool(stopped), "ended": .uint(ended)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        let status = { (json: JSON) in json.doubleValue.flatMap { Int32(exactly: $0) } }
        self.init(exitStatus: try f.optional("exit_status", "whole number", status), signal: try f.optional("signal", "whole number", status),
                  stopped: try f.optional("stopped", "boolean", \.boolValue) ?? false, ended: try f.uint64("ended"))
    }
}
