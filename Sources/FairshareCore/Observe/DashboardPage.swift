/// `GET /`: the read-only dashboard, one self-contained page: inline CSS,
/// no script, nothing fetched from elsewhere; it reloads itself every
/// `refreshSeconds` (`<meta http-equiv="refresh">`). Tables scroll
/// sideways on a phone. Every user row is `<tr id="user-NAME">` with its
/// figures in `data-*` attributes, for scripts and tests.
public enum DashboardPage {
    public static let refreshSeconds = 5

    public static func render(_ s: MachineSnapshot, rates: [UInt32: Double], host: String, clock: (UInt64) -> String) -> String {
        var h = ""
        h.reserveCapacity(4096 + s.allocations.count * 600)
        h += """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(refreshSeconds)">
            <title>fairshare on \(HTMLText.escape(host))</title>
            <style>\(style)</style></head><body>
            <header><h1>fairshare on \(HTMLText.escape(host))</h1><p class="muted">read at \(HTMLText.escape(clock(s.takenSeconds))); refreshes every \(refreshSeconds) s · <a href="/metrics">metrics</a> · <a href="/api/v1/status">API</a></p></header>

            """
        pool(s, into: &h)
        users(s, rates: rates, into: &h)
        jobs(s, clock: clock, into: &h)
        refusals(s, clock: clock, into: &h)
        h += "</body></html>\n"
        return h
    }

    static let style = """
        body{font:15px/1.4 system-ui,sans-serif;margin:0 auto;padding:0 12px 24px;max-width:1200px;color:#1b1b1b;background:#fafafa}\
        h1{font-size:1.3em;margin:12px 0 0}h2{font-size:1.1em;margin:20px 0 6px}.muted{color:#666;margin:2px 0}\
        .cards{display:flex;flex-wrap:wrap;gap:8px}.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:150px}\
        .card b{display:block;font-size:1.3em}.scroll{overflow-x:auto}\
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}\
        th:first-child,td:first-child{text-align:left}th{background:#f0f0f0;position:sticky;top:0}\
        .bar{display:inline-block;width:60px;height:8px;background:#e4e4e4;border-radius:4px;vertical-align:middle;margin-right:6px}\
        .bar i{display:block;height:100%;background:#2f7ed8;border-radius:4px}.bar i.hot{background:#d9534f}\
        @media (max-width:600px){body{font-size:14px}.bar{width:36px}th,td{padding:3px 5px}}
        """

    private static func pool(_ s: MachineSnapshot, into h: inout String) {
        let usedCPU = s.system.cpu.usecPerSecond.subtractingSaturating(s.available.cpu.usecPerSecond)
        h += """
            <section id="pool"><h2>Capacity</h2><div class="cards">
            <div class="card" id="pool-cpus">Pool CPUs<b>\(s.system.cpu)</b>\(bar(Double(usedCPU), of: Double(s.system.cpu.usecPerSecond)))granted \(CPUQuantity(usecPerSecond: usedCPU))</div>
            <div class="card" id="pool-memory">Pool memory<b>\(s.system.mem)</b>\(bar(Double((s.system.mem - s.available.mem).bytes), of: Double(s.system.mem.bytes)))granted \(s.system.mem - s.available.mem)</div>
            <div class="card" id="available">Available<b>\(s.available.cpu) CPUs / \(s.available.mem)</b></div>
            <div class="card" id="allocations">Allocations<b>\(s.allocations.count)</b></div>
            </div></section>

            """
    }

    private static func users(_ s: MachineSnapshot, rates: [UInt32: Double], into h: inout String) {
        h += """
            <section id="users"><h2>Users</h2><div class="scroll"><table>
            <thead><tr><th>User</th><th>UID</th><th>CPU used / granted</th><th>Memory used / max</th><th>Tasks / max</th><th>GPUs</th><th>IO read / written</th><th>Lease left</th></tr></thead><tbody>

            """
        if s.allocations.isEmpty { h += "<tr><td colspan=\"8\">No allocations.</td></tr>\n" }
        for l in TopView.lines(s, rates: rates) {
            let a = s.allocations.first { $0.uid == l.uid }
            let user = HTMLText.escape(l.user)
            let used = l.cpuUsed.map { PrometheusText.number(($0 * 100).rounded() / 100) } ?? ""
            h += "<tr id=\"user-\(user)\" data-user=\"\(user)\" data-uid=\"\(l.uid)\" data-cpu-granted=\"\(l.cpuGranted)\" data-cpu-used=\"\(used)\""
            h += " data-mem-granted=\"\(l.memGranted.bytes)\" data-mem-used=\"\(l.memUsed.map(String.init) ?? "")\">"
            h += "<td class=\"user\">\(user)</td><td>\(l.uid)</td>"
            h += "<td class=\"cpu\">\(bar(l.cpuUsed ?? 0, of: Double(l.cpuGranted.usecPerSecond) / 1e6))<span class=\"cpu-used\">\(used.isEmpty ? "-" : used)</span> / <span class=\"cpu-granted\">\(l.cpuGranted)</span></td>"
            h += "<td class=\"mem\">\(bar(Double(l.memUsed ?? 0), of: Double(l.memGranted.bytes)))\(l.memUsed.map { "\(ByteSize(bytes: $0))" } ?? "-") / \(l.memGranted)</td>"
            h += "<td class=\"tasks\">\(l.tasks.map(String.init) ?? "-") / \(l.tasksGranted)</td><td class=\"gpus\">\(l.gpus)</td>"
            let io = a.flatMap { r in r.usage.ioRead.map { "\(ByteSize(bytes: $0)) / \(ByteSize(bytes: r.usage.ioWrite ?? 0))" } } ?? "-"
            h += "<td class=\"io\">\(io)</td><td class=\"lease\">\(l.lease.map { TopView.leaseLeft($0, now: s.takenSeconds) } ?? "-")</td></tr>\n"
        }
        h += "</tbody></table></div></section>\n"
    }

    private static func jobs(_ s: MachineSnapshot, clock: (UInt64) -> String, into h: inout String) {
        let summary = s.jobsByState.filter { $0.count > 0 }.map { "\($0.count) \($0.state.rawValue)" }.joined(separator: ", ")
        h += "<section id=\"jobs\"><h2>Jobs</h2><p class=\"muted\">\(summary.isEmpty ? "none" : summary)</p>"
        guard !s.jobs.isEmpty else { h += "</section>\n"; return }
        h += "<div class=\"scroll\"><table><thead><tr><th>Job</th><th>User</th><th>State</th><th>Started</th><th>Command</th></tr></thead><tbody>\n"
        for j in s.jobs.suffix(50).reversed() {
            let name = j.job.name.map { " (\(HTMLText.escape($0)))" } ?? ""
            h += "<tr><td>\(j.job.id)\(name)</td><td>\(HTMLText.escape(j.job.user))</td><td>\(j.state.rawValue)</td>"
            h += "<td>\(HTMLText.escape(clock(j.job.started)))</td><td style=\"text-align:left\">\(HTMLText.escape(String(j.job.argv.joined(separator: " ").prefix(80))))</td></tr>\n"
        }
        h += "</tbody></table></div></section>\n"
    }

    private static func refusals(_ s: MachineSnapshot, clock: (UInt64) -> String, into h: inout String) {
        h += "<section id=\"refusals\"><h2>Recent refusals</h2>"
        guard let entries = s.daemon?.refusals, !entries.isEmpty else { h += "<p class=\"muted\">none</p></section>\n"; return }
        h += "<div class=\"scroll\"><table><thead><tr><th>When</th><th>User</th><th>Request</th><th>Why</th></tr></thead><tbody>\n"
        for r in entries.reversed() {
            h += "<tr><td>\(HTMLText.escape(clock(r.time)))</td><td>\(HTMLText.escape(r.user))</td><td>\(HTMLText.escape(r.op))</td>"
            h += "<td style=\"text-align:left;white-space:normal\">\(HTMLText.escape(r.message))</td></tr>\n"
        }
        h += "</tbody></table></div></section>\n"
    }

    /// A bar `value` of `total` long, red above 90 %.
    static func bar(_ value: Double, of total: Double) -> String {
        let fraction = total > 0 ? min(1, max(0, value / total)) : 0
        let percent = Int((fraction * 100).rounded())
        return "<span class=\"bar\"><i\(fraction > 0.9 ? " class=\"hot\"" : "") style=\"width:\(percent)%\"></i></span>"
    }
}
