#if canImport(Glibc)
import Glibc
#endif

/// A detached POSIX thread for the cache's blocking reads of the daemon's
/// socket, so the event loop never waits on them.
final class ReadingThread: Sendable {
    private let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let me = Unmanaged<ReadingThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            return nil
        }, box)
        if rc == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<ReadingThread>.fromOpaque(box).release()
            body()
        }
    }
}
