import Testing
@testable import FairshareCore

@Suite struct PropertyCompatibilityTests {
    static let readOnly = "org.freedesktop.DBus.Error.PropertyReadOnly"
    static func unknown(_ name: String) -> String { "Cannot set property \(name), or unknown property." }

    let byPID = UnitProperty("PIDs", .uint32Array([42]))
    var byPIDFD: UnitProperty { UnitProperty("PIDFDs", .fileDescriptors([7]), ifUnknown: .replace(byPID)) }
    let collect = UnitProperty("CollectMode", .text("inactive-or-failed"), ifUnknown: .omit)
    let memory = UnitProperty("MemoryMax", .uint64(1 << 30))

    @Test func systemdsTextNamesTheProperty() {
        #expect(UnknownPropertyError.propertyName(errorName: Self.readOnly, message: Self.unknown("PIDFDs")) == "PIDFDs")
        #expect(UnknownPropertyError.propertyName(errorName: "org.freedesktop.DBus.Error.InvalidArgs",
                                                  message: Self.unknown("MemoryZSwapMax")) == "MemoryZSwapMax")
        #expect(UnknownPropertyError.propertyName(errorName: "org.freedesktop.DBus.Error.UnknownProperty",
                                                  message: Self.unknown("X")) == "X")
    }

    @Test func otherErrorsNameNoProperty() {
        // Another error name with the same text, or the same name with another text.
        #expect(UnknownPropertyError.propertyName(errorName: "org.freedesktop.systemd1.UnitExists", message: Self.unknown("PIDFDs")) == nil)
        #expect(UnknownPropertyError.propertyName(errorName: "org.freedesktop.DBus.Error.InvalidArgs",
                                                  message: "Invalid CPU quota value") == nil)
        #expect(UnknownPropertyError.propertyName(errorName: Self.readOnly, message: Self.unknown("")) == nil)
        #expect(UnknownPropertyError.propertyName(errorName: Self.readOnly, message: Self.unknown("A B")) == nil)
    }

    @Test func anUnknownPIDFDsIsRetriedAsPIDsAndNotedOnce() {
        var c = PropertyCompatibility()
        let sent = [UnitProperty("Slice", .text("a.slice")), byPIDFD, memory]
        #expect(c.decide(sent: sent, errorName: Self.readOnly, message: Self.unknown("PIDFDs"))
                == .retry([UnitProperty("Slice", .text("a.slice")), byPID, memory], property: "PIDFDs", firstTime: true))
        #expect(c.unknown == ["PIDFDs"])
        // From then on the fallback goes out at once.
        #expect(c.adapt(sent) == [UnitProperty("Slice", .text("a.slice")), byPID, memory])
        // A call sent before systemd answered the first: retried, not noted again.
        #expect(c.decide(sent: sent, errorName: Self.readOnly, message: Self.unknown("PIDFDs"))
                == .retry([UnitProperty("Slice", .text("a.slice")), byPID, memory], property: "PIDFDs", firstTime: false))
    }

    @Test func anOptionalPropertyIsLeftOut() {
        var c = PropertyCompatibility()
        #expect(c.decide(sent: [collect, memory], errorName: Self.readOnly, message: Self.unknown("CollectMode"))
                == .retry([memory], property: "CollectMode", firstTime: true))
        #expect(c.adapt([collect, memory]) == [memory])
    }

    @Test func aLimitIsNeverDropped() {
        var c = PropertyCompatibility()
        #expect(c.decide(sent: [collect, memory], errorName: Self.readOnly, message: Self.unknown("MemoryMax")) == .giveUp)
        #expect(c.unknown.isEmpty)
        #expect(c.adapt([memory]) == [memory])
    }

    @Test func aFallbackThatIsUnknownTooEndsTheRetries() {
        var c = PropertyCompatibility()
        let sent = [byPIDFD]
        guard case .retry(let second, _, _) = c.decide(sent: sent, errorName: Self.readOnly, message: Self.unknown("PIDFDs")) else {
            Issue.record("no retry")
            return
        }
        #expect(second == [byPID])
        #expect(c.decide(sent: second, errorName: Self.readOnly, message: Self.unknown("PIDs")) == .giveUp)
    }

    @Test func aPropertyNotSentOrAnotherErrorIsNotRetried() {
        var c = PropertyCompatibility()
        #expect(c.decide(sent: [memory], errorName: Self.readOnly, message: Self.unknown("PIDFDs")) == .giveUp)
        #expect(c.decide(sent: [byPIDFD], errorName: "org.freedesktop.systemd1.UnitExists", message: "Unit x.scope already exists.") == .giveUp)
        #expect(c.unknown.isEmpty)
    }
}
