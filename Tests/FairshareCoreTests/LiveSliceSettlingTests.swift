import Testing
@testable import FairshareCore

@Suite struct LiveSliceSettlingTests {
    @Test func onlyChangedSlicesThatRunAreNudged() {
        #expect(LiveSliceSettling.uids(changed: [1003, 1001, 1002], running: [1001, 1003, 1004]) == [1001, 1003])
        #expect(LiveSliceSettling.uids(changed: [], running: [1001]) == [])
        // Not running: nudging would start it; it reads its drop-in when it starts.
        #expect(LiveSliceSettling.uids(changed: [1001], running: []) == [])
    }

    @Test func theNudgeSliceSitsInsideTheLoginSlice() {
        let name = UnitNames.settleSlice(uid: 1001).string
        #expect(name == "user-1001-fairshare\\x2dsettle.slice")
        // systemd's parent of a slice is its name up to the last dash: user-1001.slice.
        let stem = name.dropLast(".slice".count)
        #expect(String(stem[..<stem.lastIndex(of: "-")!]) + ".slice" == UnitNames.loginSlice(uid: 1001).string)
    }
}
