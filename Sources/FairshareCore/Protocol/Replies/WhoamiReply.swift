/// `whoami`: who the daemon takes the caller for.
public struct WhoamiReply: ReplyValue {
    public var uid: UInt32
    public var user: String
    /// Only the groups that matter to fairshare: `fairshare`, admin_group, reader_group.
    public var groups: [String]
    public var role: Role
    public var slice: String?

    public init(uid: UInt32, user: String, groups: [String], role: Role, slice: String? = nil) {
        self.uid = uid
        self.user = user
        self.groups = groups
        self.role = role
        self.slice = slice
    }

    public var json: JSON {
        ["uid": .uint(UInt64(uid)), "user": .string(user), "groups": .array(groups.map { .string($0) }),
         "role": .string(role.rawValue), "slice": .orNull(slice, JSON.string)]
    }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(uid: try f.uid("uid"), user: try f.string("user"), groups: try f.strings("groups"),
                  role: try f.required("role", "role", { $0.stringValue.flatMap(Role.init(rawValue:)) }),
                  slice: try f.optionalString("slice"))
    }
}
