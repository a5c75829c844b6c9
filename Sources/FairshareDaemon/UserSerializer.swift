/// Runs one operation per user at a time, in arrival order, so two
/// connections of the same user cannot interleave a check and its effect.
/// Confined to the daemon queue.
final class UserSerializer {
    private var queues: [UInt32: [(@escaping () -> Void) -> Void]] = [:]

    /// `operation` receives a `done` closure it must call exactly once.
    func run(uid: UInt32, _ operation: @escaping (@escaping () -> Void) -> Void) {
        if queues[uid] != nil {
            queues[uid]!.append(operation)
            return
        }
        queues[uid] = []
        start(uid: uid, operation)
    }

    private func start(uid: UInt32, _ operation: @escaping (@escaping () -> Void) -> Void) {
        var finished = false
        operation { [self] in
            precondition(!finished, "operation finished twice")
            finished = true
            if var waiting = queues[uid], !waiting.isEmpty {
                let next = waiting.removeFirst()
                queues[uid] = waiting
                start(uid: uid, next)
            } else {
                queues[uid] = nil
            }
        }
    }

    var busyUsers: Int { queues.count }
}
