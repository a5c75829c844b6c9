import Dispatch
import FairshareCLI
import Synchronization

/// Runs async work from the synchronous command path (main.swift's applet
/// dispatch and ArgumentParser's `run()` are synchronous) and waits for it.
enum BlockingWait {
    private final class Outcome<Value: Sendable>: Sendable {
        let result = Mutex<Result<Value, ClientFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    static func run<Value: Sendable>(_ work: @escaping @Sendable () async throws(ClientFailure) -> Value) throws(ClientFailure) -> Value {
        let outcome = Outcome<Value>()
        // Detached: never on the main actor, whose thread waits below.
        Task.detached {
            let result: Result<Value, ClientFailure>
            do throws(ClientFailure) {
                result = .success(try await work())
            } catch {
                result = .failure(error)
            }
            outcome.result.withLock { $0 = result }
            outcome.done.signal()
        }
        outcome.done.wait()
        // Set before the signal: the semaphore orders the two.
        return try outcome.result.withLock { $0! }.get()
    }
}
