// policyparse - fairshare's policy parser against Yams on the same file.
//
//   policyparse FILE [--iterations N]
//
// Reads FILE once, checks that both parsers accept it and that fairshare's
// policy compiler finds no error in it, then times, interleaved N times
// (default 15, after one warm-up round):
//
//   fairshare_parse    FairshareCore YAMLParser.parse(text)       -> node tree
//   yams_compose       Yams.compose(yaml: text)                   -> node tree
//   fairshare_compile  PolicyCompiler.compile([file], .any)        parse, schema, checks
//   yams_load          Yams.load(yaml: text)                       -> typed Swift values
//
// Prints one JSON object: the file's size and, per measurement, the
// median, minimum and maximum in milliseconds.
import FairshareCore
import Glibc
import Yams

func fail(_ message: String) -> Never {
    let line = Array("policyparse: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

@inline(never) func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n == 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

var path = ""
var iterations = 15
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--iterations": iterations = Int(args.popFirst() ?? "") ?? 0
    case "-h", "--help": print("usage: policyparse FILE [--iterations N]"); exit(0)
    default: path = a
    }
}
guard !path.isEmpty, iterations > 0 else { fail("usage: policyparse FILE [--iterations N]") }

let bytes = readFile(path)
let text = String(decoding: bytes, as: UTF8.self)
let source = PolicyCompiler.Source(path: path, bytes: bytes)

// Both must accept the file, and it must be a valid policy.
do { keep(try YAMLParser.parse(text)) } catch { fail("fairshare's parser refused \(path): \(error)") }
do { guard try Yams.compose(yaml: text) != nil else { fail("Yams found no document in \(path)") } } catch { fail("Yams refused \(path): \(error)") }
let checked = PolicyCompiler.compile([source], accounts: .any)
if checked.policy == nil { fail("\(path) is not a valid policy:\n\(checked.diagnostics.map { "\($0)" }.joined(separator: "\n"))") }

var times: [String: [Double]] = [:]
@MainActor func measure(_ name: String, _ body: () throws -> Void) rethrows {
    let t0 = monotonicNanoseconds()
    try body()
    times[name, default: []].append(Double(monotonicNanoseconds() - t0) / 1e6)
}

for round in 0...iterations {
    try measure("fairshare_parse") { keep(try YAMLParser.parse(text)) }
    try measure("yams_compose") { keep(try Yams.compose(yaml: text)) }
    measure("fairshare_compile") { keep(PolicyCompiler.compile([source], accounts: .any)) }
    try measure("yams_load") { keep(try Yams.load(yaml: text)) }
    if round == 0 { times = [:] }   // the warm-up round
}

func stats(_ values: [Double]) -> String {
    let s = values.sorted()
    let median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    func r(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    return #"{"median_ms": \#(r(median)), "min_ms": \#(r(s.first!)), "max_ms": \#(r(s.last!)), "n": \#(s.count)}"#
}

let order = ["fairshare_parse", "yams_compose", "fairshare_compile", "yams_load"]
print("{\"bytes\": \(bytes.count), \"lines\": \(bytes.filter { $0 == 10 }.count), "
      + order.map { "\"\($0)\": \(stats(times[$0]!))" }.joined(separator: ", ") + "}")
