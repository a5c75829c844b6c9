/// One refused request in `metrics`' `refusals`:
/// `{"time", "user", "uid", "op", "code", "message"}`.
extension RefusalLog.Entry: ReplyValue {
    public var json: JSON {
        ["time": .uint(time), "user": .string(user), "uid": .uint(UInt64(uid)), "op": .string(op), "code": .string(code),
         "message": .string(message)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(time: try f.uint64("time"), user: try f.string("user"), uid: try f.uid("uid"), op: try f.string("op"),
                  code: try f.string("code"), message: try f.string("message"))
    }
}
