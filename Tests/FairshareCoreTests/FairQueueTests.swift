import Testing
@testable import FairshareCore

@Suite struct FairQueueTests {
    @Test func eachKeyGetsATurnWhateverTheOthersHaveWaiting() {
        var q = FairQueue<UInt32, String>()
        for i in 1...1000 { q.append("a\(i)", for: 1001) }
        q.append("c1", for: 1003)
        q.append("c2", for: 1003)
        #expect(q.next() == "a1")
        #expect(q.next() == "c1")
        #expect(q.next() == "a2")
        #expect(q.next() == "c2")
        #expect(q.next() == "a3")
        var rest = 0
        while q.next() != nil { rest += 1 }
        #expect(rest == 997)
        #expect(q.isEmpty)
    }

    @Test func aKeyThatArrivesLateWaitsAtMostOneItemPerOtherKey() {
        var q = FairQueue<Int, Int>()
        for key in 0..<5 { for i in 0..<100 { q.append(i, for: key) } }
        for _ in 0..<250 { _ = q.next() }
        q.append(-1, for: 99)
        var before = 0
        while let item = q.next(), item != -1 { before += 1 }
        #expect(before <= 5)
    }

    @Test func itemsOfAClosedConnectionAreDropped() {
        var q = FairQueue<Int, Int>()
        q.append(1, for: 7)
        q.append(2, for: 7)
        q.append(3, for: 8)
        q.removeAll(for: 7) { _ in true }
        #expect(q.next() == 3)
        #expect(q.next() == nil)
        q.append(4, for: 7)
        #expect(q.next() == 4)
    }
}
