import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// A full-screen view on the terminal: the alternate screen, no echo, keys
/// read one at a time; redraws every `interval` seconds and on a key,
/// until `q`, `Q` or Ctrl-C (which arrives as a key: ISIG is off, so the
/// terminal is always restored).
enum TerminalScreen {
    static func run(interval: Double, screens: Int, draw: (_ width: Int, _ height: Int) throws -> [String]) throws {
        var saved = termios()
        let hasTerminalInput = tcgetattr(STDIN_FILENO, &saved) == 0
        if hasTerminalInput {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
            withUnsafeMutableBytes(of: &raw.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        StandardStreams.out("\u{1B}[?1049h\u{1B}[?25l")
        defer {
            StandardStreams.out("\u{1B}[?25h\u{1B}[?1049l")
            if hasTerminalInput { tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        }
        var shown = 0
        while shown < screens {
            let (width, height) = size()
            let lines = try draw(width, height)
            StandardStreams.out("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n") + "\r\n")
            shown += 1
            if shown >= screens { break }
            if hasTerminalInput, quitKeyWithin(milliseconds: Int32(interval * 1000)) { return }
            if !hasTerminalInput { usleep(useconds_t(interval * 1_000_000)) }
        }
    }

    /// Waits up to `milliseconds` for a key; true if it was a quit key.
    private static func quitKeyWithin(milliseconds: Int32) -> Bool {
        var deadline = milliseconds
        while deadline > 0 {
            var pfd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let started = now()
            let n = poll(&pfd, 1, deadline)
            if n < 0 && errno != EINTR { return false }
            if n > 0 {
                var byte: UInt8 = 0
                if read(STDIN_FILENO, &byte, 1) != 1 { return true }  // end of input
                if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 { return true }
            }
            deadline -= Int32(clamping: (now() - started) / 1_000_000)
            if n == 0 { return false }
        }
        return false
    }

    private static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Columns and rows, 80×24 when the terminal does not say.
    private static func size() -> (Int, Int) {
        var w = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return (80, 24) }
        return (Int(w.ws_col), Int(w.ws_row))
    }
}
