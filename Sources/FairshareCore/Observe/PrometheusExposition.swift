/// `GET /metrics`: a snapshot in Prometheus' text format, names and units
/// by its conventions (base units, `_total` for counters, `_bytes`,
/// `_seconds`, `_timestamp_seconds`, `_info`). Per-user series carry
/// `user` and `uid`; a figure the daemon could not read is left out, not
/// written as 0.
public enum PrometheusExposition {
    public static func render(_ s: MachineSnapshot, version: String) -> String {
        var p = PrometheusText()
        p.family("fairshare_build_info", "gauge", "The fairshare-web build; the daemon's version in daemon_version.")
        p.sample("fairshare_build_info", [("version", version), ("daemon_version", s.daemon?.version ?? "")], "1")
        p.family("fairshare_snapshot_timestamp_seconds", "gauge", "When these figures were read from fairshared (at most 5 s before the scrape).")
        p.sample("fairshare_snapshot_timestamp_seconds", [], Double(s.takenUsec) / 1e6)
        if let daemon = s.daemon {
            p.family("fairshare_daemon_start_time_seconds", "gauge", "When fairshared started, seconds since the epoch.")
            p.sample("fairshare_daemon_start_time_seconds", [], daemon.started)
        }
        pool(s, into: &p)
        users(s, into: &p)
        p.family("fairshare_jobs", "gauge", "Jobs (fairshare run) the daemon keeps, by state.")
        for (state, count) in s.jobsByState { p.sample("fairshare_jobs", [("state", state.rawValue)], UInt64(count)) }
        if let daemon = s.daemon { requests(daemon.counters, into: &p) }
        return p.text
    }

    private static func pool(_ s: MachineSnapshot, into p: inout PrometheusText) {
        p.family("fairshare_pool_cpus", "gauge", "CPUs the pool can hand out (the machine less the policy's reserve, times CPU overcommit).")
        p.sample("fairshare_pool_cpus", [], cpus(s.system.cpu))
        p.family("fairshare_pool_memory_bytes", "gauge", "Memory the pool can hand out.")
        p.sample("fairshare_pool_memory_bytes", [], s.system.mem.bytes)
        p.family("fairshare_available_cpus", "gauge", "CPUs nobody holds.")
        p.sample("fairshare_available_cpus", [], cpus(s.available.cpu))
        p.family("fairshare_available_memory_bytes", "gauge", "Memory nobody holds.")
        p.sample("fairshare_available_memory_bytes", [], s.available.mem.bytes)
        p.family("fairshare_allocations", "gauge", "Users holding an allocation.")
        p.sample("fairshare_allocations", [], UInt64(s.allocations.count))
    }

    /// One family at a time over every user, as the format wants them grouped.
    private static func users(_ s: MachineSnapshot, into p: inout PrometheusText) {
        let labels = s.allocations.map { [("user", $0.user), ("uid", String($0.uid))] }
        func each(_ name: String, _ type: String, _ help: String, _ value: (AllocationRow) -> String?) {
            p.family(name, type, help)
            for (row, l) in zip(s.allocations, labels) {
                if let v = value(row) { p.sample(name, l, v) }
            }
        }
        each("fairshare_user_granted_cpus", "gauge", "CPUs granted (CPUQuota= of fairshare-UID.slice).") { PrometheusText.number(cpus($0.cpu)) }
        each("fairshare_user_granted_memory_bytes", "gauge", "Memory granted (MemoryMax=).") { String($0.mem.bytes) }
        each("fairshare_user_granted_tasks", "gauge", "Tasks granted (TasksMax=); +Inf for infinity.") { $0.tasks.isInfinite ? "+Inf" : String($0.tasks.count) }
        each("fairshare_user_granted_gpus", "gauge", "GPUs granted.") { String($0.gpus.count) }
        each("fairshare_user_cpu_seconds_total", "counter", "CPU time used in the user's slice.") { r in
            r.usage.cpuUsec.map { PrometheusText.number(Double($0) / 1e6) }
        }
        each("fairshare_user_memory_bytes", "gauge", "Memory the user's slice uses now.") { r in r.usage.mem.map { String($0) } }
        each("fairshare_user_tasks", "gauge", "Tasks in the user's slice now.") { r in r.usage.tasks.map { String($0) } }
        each("fairshare_user_io_read_bytes_total", "counter", "Bytes read by the user's slice.") { r in r.usage.ioRead.map { String($0) } }
        each("fairshare_user_io_write_bytes_total", "counter", "Bytes written by the user's slice.") { r in r.usage.ioWrite.map { String($0) } }
        each("fairshare_user_lease_end_timestamp_seconds", "gauge", "When the user's lease ends (only users with a lease).") { r in
            r.lease.map { String($0) }
        }
        each("fairshare_user_allocation_start_timestamp_seconds", "gauge", "When the allocation was granted.") { String($0.since) }
        let pressure = "fairshare_user_pressure_some_avg10_ratio"
        p.family(pressure, "gauge", "Share of the last 10 s in which some of the slice's tasks stalled on the resource (PSI some avg10; only where the kernel has PSI).")
        for (row, l) in zip(s.allocations, labels) {
            guard let psi = row.pressure else { continue }
            for (resource, hundredths) in [("cpu", psi.cpu), ("memory", psi.memory), ("io", psi.io)] {
                if let h = hundredths { p.sample(pressure, l + [("resource", resource)], Double(h) / 10_000) }
            }
        }
    }

    private static func requests(_ c: RequestCounters, into p: inout PrometheusText) {
        p.family("fairshare_requests_total", "counter", "Requests fairshared answered since it started, by operation, result and error code.")
        for (o, count) in c.outcomes.sorted(by: { $0.key < $1.key }) {
            p.sample("fairshare_requests_total", [("op", o.op), ("result", o.result), ("reason", o.reason)], count)
        }
        let name = "fairshare_request_duration_seconds"
        p.family(name, "histogram", "Time from a request's arrival to its reply, by operation.")
        for (op, l) in c.latency.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (i, bound) in RequestCounters.boundsUsec.enumerated() {
                cumulative &+= l.counts[i]
                p.sample(name + "_bucket", [("op", op), ("le", PrometheusText.number(Double(bound) / 1e6))], cumulative)
            }
            p.sample(name + "_bucket", [("op", op), ("le", "+Inf")], l.count)
            p.sample(name + "_sum", [("op", op)], Double(l.sumUsec) / 1e6)
            p.sample(name + "_count", [("op", op)], l.count)
        }
    }

    private static func cpus(_ q: CPUQuantity) -> Double { Double(q.usecPerSecond) / 1e6 }
}
