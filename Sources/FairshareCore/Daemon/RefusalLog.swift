/// The latest refused requests, newest last, at most `capacity` of them:
/// what the dashboard's "recent refusals" shows. Pure.
public struct RefusalLog: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// Seconds since the epoch.
        public var time: UInt64
        public var user: String
        public var uid: UInt32
        public var op: String
        public var code: String
        public var message: String

        public init(time: UInt64, user: String, uid: UInt32, op: String, code: String, message: String) {
            self.time = time
            self.user = user
            self.uid = uid
            self.op = op
            self.code = code
            self.message = message
        }
    }

    public let capacity: Int
    public private(set) var entries: [Entry] = []

    public init(capacity: Int = 20) { self.capacity = max(0, capacity) }

    public mutating func append(_ entry: Entry) {
        guard capacity > 0 else { return }
        if entries.count == capacity { entries.removeFirst() }
        entries.append(entry)
    }
}
