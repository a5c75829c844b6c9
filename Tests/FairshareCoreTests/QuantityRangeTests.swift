import PropertyBased
import Testing
@testable import FairshareCore

/// The edges where arithmetic on quantities breaks first.
private let edges: [UInt64] = [0, 1, 2, 9_999, 5_000, (1 << 53) - 1, 1 << 53, (1 << 53) + 1, (1 << 44) + 1,
                               UInt64.max / 4, UInt64.max - 1, UInt64.max]
/// Any UInt64: an edge half the time, otherwise a random value shifted
/// right by a random amount, so every magnitude comes up.
private let anyUInt64 = zip(Gen.int(in: 0...(2 * edges.count - 1)), Gen.uint64(), Gen.int(in: 0...63))
    .map { pick, random, shift in pick < edges.count ? edges[pick] : random >> UInt64(shift) }
private let cpuGen = anyUInt64.map { CPUQuantity(usecPerSecond: $0) }
private let memGen = anyUInt64.map { ByteSize(bytes: $0) }
private let tasksGen = anyUInt64.map { TaskLimit($0) }
private let ioGen = zip(anyUInt64, anyUInt64, anyUInt64).map { bw, iops, weight in
    IOLimits(weight: weight % 10_000 + 1,
             limits: [.readBandwidth: ["/dev/vda": max(bw, 1)], .writeIOPS: ["/dev/vdb": max(iops, 1)]])
}
private let resourcesGen = zip(cpuGen, memGen, tasksGen, ioGen).map { Resources(cpu: $0, mem: $1, tasks: $2, io: $3) }

/// Every quantity type over the whole UInt64 range: formatting never
/// traps, what is written exactly reads back, sums saturate, admission
/// decides, and state.json gives back what it was given.
@Suite struct QuantityRangeTests {
    @Test func cpuFormatsAndReadsBack() async {
        await propertyCheck(count: 500, input: cpuGen, cpuGen) { a, b throws in
            _ = (a.description, a.withUnit, a.percent)
            if a.isUnlimited {
                #expect(a.exactDescription == "infinity")
                #expect(try PolicyValue.cpu(a.exactDescription, allowInfinity: true) == .unlimited)
            } else {
                #expect(CPUQuantity.parse(a.exactDescription) == a, "\(a.exactDescription)")
            }
            let (sum, overflow) = a.usecPerSecond.addingReportingOverflow(b.usecPerSecond)
            #expect((a + b).usecPerSecond == (overflow ? .max : sum))
            #expect((a - b).usecPerSecond == (a > b ? a.usecPerSecond - b.usecPerSecond : 0))
            // A CFS quota per period: exact where it fits, no limit where not.
            let period = max(b.usecPerSecond, 1)
            let (product, tooBig) = a.usecPerSecond.multipliedReportingOverflow(by: CPUQuantity.usecPerCPU)
            let perSecond = CPUQuantity(quota: a.usecPerSecond, perPeriod: period).usecPerSecond
            if !tooBig { #expect(perSecond == product / period) }
            if period == 1 && tooBig { #expect(perSecond == .max) }
        }
    }

    @Test func sizesFormatAndReadBack() async {
        await propertyCheck(count: 500, input: memGen, memGen) { a, b throws in
            #expect(!a.description.isEmpty)
            if a.isUnlimited {
                #expect(a.description == "infinity")
                #expect(try PolicyValue.size(a.exactDescription, allowInfinity: true) == .unlimited)
            } else {
                #expect(ByteSize.parse(a.exactDescription) == a, "\(a.exactDescription)")
                #expect(ByteSize.parse("\(a.bytes)") == a)
            }
            let (sum, overflow) = a.bytes.addingReportingOverflow(b.bytes)
            #expect((a + b).bytes == (overflow ? .max : sum))
            #expect((a - b).bytes == (a > b ? a.bytes - b.bytes : 0))
        }
    }

    @Test func taskLimitsReadBack() async {
        await propertyCheck(count: 300, input: tasksGen) { t in
            #expect(TaskLimit.parse(t.description) == t)
        }
    }

    @Test func durationsReadBackAndEndsSaturate() async {
        await propertyCheck(count: 500, input: anyUInt64, anyUInt64) { seconds, start in
            let span = TimeSpan(seconds: seconds)
            #expect(TimeSpan.parse(span.description) == span, "\(span)")
            let (end, overflow) = start.addingReportingOverflow(seconds)
            #expect(span.end(after: start) == (overflow ? .max : end))
        }
    }

    @Test func ioRatesFormatAndReadBack() async {
        await propertyCheck(count: 300, input: ioGen) { io throws in
            #expect(!io.summary.isEmpty)
            #expect(try IOLimits.decode(JSON.parse(io.json.serialized)).get() == io)
            let iops = io[.writeIOPS]["/dev/vdb"]!
            #expect(try PolicyValue.ioRate(IOLimits.Kind.writeIOPS.format(iops), bandwidth: false) == iops)
        }
    }

    @Test func integersAreExactInJSON() async {
        await propertyCheck(count: 500, input: anyUInt64) { n throws in
            #expect(try JSON.parse(JSON.uint(n).serialized).uint64Value == n)
            #expect(try JSON.parse(JSON.uint(n).serialized) == JSON.uint(n))
        }
    }

    /// Whatever the pool, the holdings and the user's max, admission gives
    /// a grant within them or a refusal that prints.
    @Test func admissionDecidesForAnyValues() async {
        let rules = Gen.int(in: 0...(FairShareRule.allCases.count - 1)).map { FairShareRule.allCases[$0] }
        await propertyCheck(count: 500, input: zip(resourcesGen, resourcesGen, resourcesGen), resourcesGen.array(of: 0...3),
                            zip(cpuGen, memGen, rules, Gen.int(in: 100...100_000))) { users, others, pool in
            let (requested, held, userMax) = users
            let (cpu, mem, rule, overcommit) = pool
            let p = Admission.Pool(capacity: Capacity(cpu: cpu, mem: mem), holdings: Holdings(others + [held]), rule: rule,
                                   cpuOvercommit: Double(overcommit) / 100)
            switch Admission.evaluate(requested: requested, held: held, userMax: userMax, pool: p) {
            case .success(let granted):
                #expect(granted.cpu <= userMax.cpu && granted.mem <= userMax.mem && granted.tasks <= userMax.tasks)
            case .failure(let refusal):
                #expect(!refusal.description.isEmpty)
            }
            _ = (p.capacity.summary, requested.summary, p.cpuCapacity - p.holdings.cpu)
        }
    }

    /// DaemonState → JSON text → parse → decode: the same state, for any
    /// quantities and lease end; a time past `latestTime` is a diagnostic.
    @Test func stateRoundTripsThroughStateJSON() async {
        let allocation = zip(Gen.uint32(), resourcesGen, anyUInt64, anyUInt64.optional())
            .map { uid, resources, since, leaseEnd in
                Allocation(uid: uid, user: "u\(uid)", resources: resources, since: since, leaseEnd: leaseEnd)
            }
        await propertyCheck(count: 300, input: allocation.array(of: 0...4)) { allocations throws in
            var state = DaemonState()
            for a in allocations { state.allocations[a.uid] = a }
            let text = state.json.pretty
            if allocations.allSatisfy({ $0.since <= DaemonState.latestTime }) {
                #expect(try DaemonState.decode(JSON.parse(text)) == state, "\(text)")
            } else {
                #expect(throws: DaemonState.DecodingError.self) { try DaemonState.decode(JSON.parse(text)) }
            }
        }
    }
}
