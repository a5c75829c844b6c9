/// `admin list`: the logins of a user who holds no allocation (a live
/// `user-UID.slice` in `min_uid`..`max_uid`), with their cap and usage.
public struct LoginRow: ReplyValue {
    public var user: String
    public var uid: UInt32
    public var login: LoginReply

    public init(user: String, uid: UInt32, login: LoginReply) {
        self.user = user
        self.uid = uid
        self.login = login
    }

    public var json: JSON { ["user": .string(user), "uid": .uint(UInt64(uid)), "login": login.json] }

    public init(fields f: ReplyFields) throws(ReplyDecodingError) {
        self.init(user: try f.string("user"), uid: try f.uid("uid"), login: try f.nested("login"))
    }
}
