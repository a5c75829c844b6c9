// libFuzzer target: the protocol's line framer. Built and run by Tests/Fuzz/run.
//
// Byte 0 picks the limit (0: the protocol's own, else 1 to 64 so overflow is
// reachable), byte 1 seeds the chunk sizes, the rest is the stream. It is fed
// in chunks of 1 to 32 bytes (and once whole, to compare), and checked:
// lines are the stream's own bytes in order with no newline inside, none
// longer than the limit allows; nothing comes after an overflow; and every
// byte is in a line, still buffered, or was part of the overflowing line.

import FairshareCore

/// A small deterministic generator for chunk sizes (xorshift).
private struct ChunkSizes {
    var state: UInt32
    mutating func next() -> Int {
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Int(state % 32) + 1
    }
}

/// Feeds `stream` in the chunks `sizes` picks and checks the framer's
/// invariants; returns the events so two feedings can be compared.
private func frame(_ stream: ArraySlice<UInt8>, limit: Int, sizes: inout ChunkSizes?) -> [LineFramer.Event] {
    var framer = LineFramer(limit: limit)
    var events: [LineFramer.Event] = []
    var start = stream.startIndex
    while start < stream.endIndex {
        let end = sizes.map { _ in min(stream.endIndex, start + sizes!.next()) } ?? stream.endIndex
        let overflowed = events.last == .overflow
        let new = framer.feed(stream[start..<end])
        precondition(!overflowed || new.isEmpty, "events after an overflow")
        precondition(!new.dropLast().contains(.overflow), "an overflow that is not the last event")
        events += new
        precondition(framer.bufferedCount < limit, "\(framer.bufferedCount) bytes buffered with limit \(limit)")
        start = end
    }

    var consumed = stream.startIndex
    for event in events {
        switch event {
        case .line(let line):
            precondition(line.count + 1 <= limit, "a line of \(line.count + 1) bytes with limit \(limit)")
            precondition(!line.contains(0x0A), "a newline inside a line")
            precondition(stream[consumed...].starts(with: line + [0x0A]), "a line that is not the stream's next bytes")
            consumed += line.count + 1
        case .overflow:
            let run = stream[consumed...].prefix(limit)
            precondition(run.count == limit && !run.contains(0x0A), "an overflow without \(limit) bytes before a newline")
            precondition(framer.bufferedCount == 0, "bytes kept after an overflow")
            return events
        }
    }
    precondition(consumed + framer.bufferedCount == stream.endIndex, "bytes lost: \(stream.count) in, \(consumed - stream.startIndex) framed, \(framer.bufferedCount) buffered")
    precondition(!stream[consumed...].contains(0x0A), "a newline left in the buffer")
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limit = bytes[0] == 0 ? WireProtocol.maxLineBytes : Int(bytes[0] % 64) + 1
    let stream = bytes[2...]
    var chunked: ChunkSizes? = ChunkSizes(state: UInt32(bytes[1]) &* 2_654_435_761 | 1)
    var whole: ChunkSizes? = nil
    let inChunks = frame(stream, limit: limit, sizes: &chunked)
    let atOnce = frame(stream, limit: limit, sizes: &whole)
    precondition(inChunks == atOnce, "chunking changed the events")
    return 0
}
