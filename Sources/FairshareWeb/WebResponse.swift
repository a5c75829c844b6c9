import FairshareCLI
import FairshareCore

/// One HTTP answer: status, content type, body.
struct WebResponse: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]

    static func text(_ status: Int, _ text: String) -> WebResponse {
        WebResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(text.utf8))
    }

    /// The answer to a route that needs no snapshot (errors, the health
    /// check); nil for the others.
    static func withoutSnapshot(_ route: WebRoute) -> WebResponse? {
        switch route {
        case .status(let code, let text): .text(code, text)
        case .health: .text(200, "ok\n")
        default: nil
        }
    }

    /// The route's answer from a snapshot (or why there is none).
    static func answer(_ route: WebRoute, _ latest: Result<SnapshotCache.Rendered, MachineReader.Failure>, host: String) -> WebResponse {
        let r: SnapshotCache.Rendered
        switch latest {
        case .success(let rendered): r = rendered
        case .failure(let failure): return .text(503, "cannot read fairshared: \(failure.message)\n")
        }
        switch route {
        case .metrics:
            return WebResponse(status: 200, contentType: PrometheusText.contentType, body: r.metrics)
        case .dashboard:
            let page = DashboardPage.render(r.snapshot, rates: r.rates, host: host, clock: MachineReader.clock)
            return WebResponse(status: 200, contentType: "text/html; charset=utf-8", body: Array(page.utf8))
        case .api(let path):
            guard let doc = APIDocument.render(path, r.snapshot, rates: r.rates) else {
                return .text(404, "no such API document; try \(APIDocument.paths.joined(separator: ", "))\n")
            }
            return WebResponse(status: 200, contentType: "application/json", body: Array((doc.pretty + "\n").utf8))
        case .health:
            return .text(200, "ok\n")
        case .status(let code, let text):
            return .text(code, text)
        }
    }
}
