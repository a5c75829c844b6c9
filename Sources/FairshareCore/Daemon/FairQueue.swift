/// Work waiting per key (a uid), handed out one item per key in turn, so a
/// key with many items waiting delays another key's by at most one of its
/// own per round.
public struct FairQueue<Key: Hashable, Item> {
    private var items: [Key: [Item]] = [:]
    /// Keys with items, in the order their turn comes.
    private var turn: [Key] = []
    private var head = 0

    public init() {}

    public var isEmpty: Bool { turn.count == head }

    public mutating func append(_ item: Item, for key: Key) {
        if items[key, default: []].isEmpty { turn.append(key) }
        items[key, default: []].append(item)
    }

    /// The next key's oldest item; that key goes to the back of the line if
    /// it has more.
    public mutating func next() -> Item? {
        guard head < turn.count else { return nil }
        let key = turn[head]
        head += 1
        var waiting = items[key] ?? []
        let item = waiting.removeFirst()
        if waiting.isEmpty {
            items[key] = nil
        } else {
            items[key] = waiting
            turn.append(key)
        }
        // Drop the consumed prefix now and then so the line does not grow.
        if head > 64 && head * 2 > turn.count {
            turn.removeFirst(head)
            head = 0
        }
        return item
    }

    /// Drops every item of `key` matching `isGone` (a closed connection's).
    public mutating func removeAll(for key: Key, where isGone: (Item) -> Bool) {
        guard var waiting = items[key] else { return }
        waiting.removeAll(where: isGone)
        if waiting.isEmpty {
            items[key] = nil
            if let i = turn[head...].firstIndex(of: key) { turn.remove(at: i) }
        } else {
            items[key] = waiting
        }
    }
}
