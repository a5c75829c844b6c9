import FairshareCore
import FairshareSystemd

/// Events as structured journal entries: the audit trail.
final class JournalEventLog: EventLog {
    func record(_ event: DaemonEvent) {
        var fields: [(String, String)] = [("MESSAGE_ID", event.kind.messageID), ("FAIRSHARE_EVENT", event.kind.rawValue)]
        if let uid = event.uid { fields.append(("FAIRSHARE_UID", "\(uid)")) }
        if let user = event.user { fields.append(("FAIRSHARE_USER", user)) }
        if let r = event.resources {
            fields.append(("FAIRSHARE_CPU", "\(r.cpu)"))
            fields.append(("FAIRSHARE_MEM", "\(r.mem.bytes)"))
            fields.append(("FAIRSHARE_TASKS", "\(r.tasks)"))
        }
        fields += event.fields.map { ($0.name, $0.value) }
        let priority: Journal.Priority = switch event.kind {
        case .error, .policyRejected: .error
        case .refused, .propertyUnknown: .notice
        default: .info
        }
        Journal.send(event.message, priority: priority, fields: fields)
    }
}
