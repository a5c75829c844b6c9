/// A user's use of their quota'd file system in `status` and `admin list`:
/// `{"path": "/home", "used": …, "inodes": …, "soft": …, "hard": …}`,
/// `soft` and `hard` null where no limit is set (0 to the kernel).
extension DiskUsage: ReplyValue {
    public var json: JSON {
        ["path": .string(path), "used": .uint(bytes), "inodes": .uint(inodes),
         "soft": softBytes == 0 ? .null : .uint(softBytes), "hard": hardBytes == 0 ? .null : .uint(hardBytes)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(path: try f.string("path"), bytes: try f.uint64("used"), inodes: try f.uint64("inodes"),
                  softBytes: try f.optionalUInt64("soft") ?? 0, hardBytes: try f.optionalUInt64("hard") ?? 0)
    }
}
