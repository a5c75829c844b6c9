import FairshareCLI
import FairshareRemote
import Synchronization

/// How far a job's output has been written to our standard output, so a
/// stream opened again after a failure resumes at the next byte: each byte
/// goes out exactly once, in order, whatever chunks the server repeats.
final class OutputCursor: Sendable {
    private struct State {
        var written: UInt64 = 0
        var lastChunk: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let sink: @Sendable ([UInt8]) -> Void

    /// `sink` receives the bytes to write, in order; it is called while the
    /// cursor is locked, never twice at once.
    init(sink: @escaping @Sendable ([UInt8]) -> Void) {
        self.sink = sink
        self.state = Mutex(State(lastChunk: .now))
    }

    /// Bytes written so far: the offset to stream from next.
    var written: UInt64 { state.withLock { $0.written } }

    /// When the last chunk (or the cursor) came.
    var lastChunk: ContinuousClock.Instant { state.withLock { $0.lastChunk } }

    /// Writes what `chunk` adds beyond what was written; a chunk that would
    /// leave a hole (it starts after the next byte) is the server's error.
    func take(_ chunk: Fairshare_Remote_V1_OutputChunk) throws(ClientFailure) {
        try state.withLock { s throws(ClientFailure) in
            s.lastChunk = .now
            let end = chunk.offset + UInt64(chunk.data.count)
            guard chunk.offset <= s.written else {
                throw ClientFailure("fairshare-remote sent output from byte \(chunk.offset) when byte \(s.written) was next",
                                    status: ExitStatus.protocolError)
            }
            guard end > s.written else { return }
            let fresh = chunk.data.dropFirst(Int(s.written - chunk.offset))
            sink([UInt8](fresh))
            s.written = end
        }
    }
}
