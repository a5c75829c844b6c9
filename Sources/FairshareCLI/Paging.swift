import FairshareCore

/// A reply that comes in pages (`admin list`, `jobs`): its rows, and
/// where the next page starts when there is one.
protocol PagedReply: ReplyValue {
    associatedtype Row
    associatedtype Cursor
    var rows: [Row] { get }
    var next: Cursor? { get }
    /// One reply holding `rows`, with no next page.
    init(rows: [Row])
}

extension DaemonClient {
    /// Asks for page after page (`request(after)`) until the daemon has no
    /// `next`; the daemon's notices come with the first page only.
    func everyPage<Page: PagedReply>(_ request: (Page.Cursor?) -> ClientRequest, each: (Page) -> Void = { _ in }) throws(ClientFailure) -> Page {
        var rows: [Page.Row] = []
        var after: Page.Cursor?
        repeat {
            let page = try call(request(after), as: Page.self, notices: after == nil)
            each(page)
            rows += page.rows
            after = page.next
        } while after != nil
        return Page(rows: rows)
    }
}

extension AllocationListPage: PagedReply {
    var rows: [AllocationRow] { allocations }
    init(rows: [AllocationRow]) { self.init(allocations: rows) }
}

extension JobsPage: PagedReply {
    var rows: [JobReply] { jobs }
    init(rows: [JobReply]) { self.init(jobs: rows) }
}
