/// "did you mean `mem`?" for a mistyped key: the known key nearest by edit
/// distance, when it is near enough to be a likely typo.
public enum KeySuggestion {
    /// Words people write for a key under another name.
    static let synonyms: [String: String] = [
        "memory": "mem", "ram": "mem", "cpus": "cpu", "cores": "cpu", "processes": "tasks", "pids": "tasks",
        "maximum": "max", "limit": "max", "limits": "max", "default": "defaults",
        "gpu": "gpus", "devices": "gpus", "blkio": "io", "quota": "disk", "minimum": "min", "floor": "min",
    ]

    public static func nearest(to key: String, in known: [String]) -> String? {
        let lowered = key.lowercased()
        if let synonym = synonyms[lowered], known.contains(synonym) { return synonym }
        if let exact = known.first(where: { $0 == lowered || $0.replacingUnderscores == lowered.replacingUnderscores }) {
            return exact
        }
        let threshold = max(1, min(2, lowered.count / 3))
        let scored = known.map { ($0, editDistance(lowered, $0)) }.filter { $0.1 <= threshold }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, counting a swap of neighbours as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, row) = (previous, row, previous2)
        }
        return previous[b.count]
    }
}

private extension String {
    var replacingUnderscores: String { String(map { $0 == "-" ? "_" : $0 }) }
}
