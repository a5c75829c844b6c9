/// logind's `UserNew(u uid, o path)` on `org.freedesktop.login1.Manager`:
/// a user's first session since they had none. The daemon uses it to give
/// an account created after its last start or reload its login drop-in.
public enum LogindUsers {
    public static let service = "org.freedesktop.login1"
    public static let path = "/org/freedesktop/login1"
    public static let interface = "org.freedesktop.login1.Manager"

    /// Calls `handler` with the uid of every `UserNew`; the subscription
    /// lasts as long as the returned match. logind need not be running
    /// (the match waits for it).
    public static func watchNewUsers(on bus: BusConnection, handler: @escaping (UInt32) -> Void) throws(BusError) -> SignalMatch {
        try bus.matchSignal(sender: service, path: path, interface: interface, member: "UserNew") { m in
            guard let uid = try? m.readUInt32() else { return }
            handler(uid)
        }
    }
}
