import Testing
@testable import FairshareSystemd

@Suite struct BusLabelTests {
    @Test func unitPathsGiveTheirNames() {
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/fairshare_2d1001_2djob_2d7_2eservice")
                == "fairshare-1001-job-7.service")
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/_31000_2eslice") == "1000.slice")
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/user_40_2dE2_2eservice") == "user@-E2.service")
    }

    @Test func otherPathsAndBrokenEscapesGiveNothing() {
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1") == nil)
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/job/42") == nil)
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/a_2") == nil)
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/a_zz") == nil)
        #expect(BusLabel.unitName(ofPath: "/org/freedesktop/systemd1/unit/") == nil)
    }
}
