/// CPUs each user used between two snapshots (1.0 = one CPU busy), from
/// their slices' `cpu_usec`; a user with no earlier reading gets what the
/// daemon measured since its previous `list` (`cpu_percent`), if anything.
public enum CPURates {
    public static func between(_ earlier: MachineSnapshot?, _ later: MachineSnapshot) -> [UInt32: Double] {
        var before: [UInt32: UInt64] = [:]
        if let earlier {
            for row in earlier.allocations { if let cpu = row.usage.cpuUsec { before[row.uid] = cpu } }
        }
        let wall = earlier.map { later.takenUsec > $0.takenUsec ? later.takenUsec - $0.takenUsec : 0 } ?? 0
        var rates: [UInt32: Double] = [:]
        for row in later.allocations {
            if wall > 0, let now = row.usage.cpuUsec, let then = before[row.uid], now >= then {
                rates[row.uid] = Double(now - then) / Double(wall)
            } else if let percent = row.cpuPercent {
                rates[row.uid] = percent / 100
            }
        }
        return rates
    }
}
