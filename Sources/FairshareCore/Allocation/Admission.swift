/// Decides whether a user may hold `requested`. Pure.
///
/// Granted iff, for each resource, the request is within the user's max and,
/// for the pooled resources (CPU, memory), within what the pool has left once
/// the user's own current holding is given back. Tasks only have the per-user
/// cap. Shrinking is always granted (it only gives back).
public enum Admission {
    public static func evaluate(
        requested: Resources, held: Resources?, userMax: Resources,
        capacity: Capacity, holdings: Holdings
    ) -> Result<Resources, Refusal> {
        if requested.cpu > userMax.cpu {
            return .failure(Refusal(resource: .cpu, bound: .userMax, requested: requested.cpu.withUnit,
                                    limit: userMax.cpu.withUnit, fits: userMax.cpu.withUnit))
        }
        if requested.mem > userMax.mem {
            return .failure(Refusal(resource: .mem, bound: .userMax, requested: "\(requested.mem)",
                                    limit: "\(userMax.mem)", fits: "\(userMax.mem)"))
        }
        if requested.tasks > userMax.tasks {
            return .failure(Refusal(resource: .tasks, bound: .userMax, requested: "\(requested.tasks)",
                                    limit: "\(userMax.tasks)", fits: "\(userMax.tasks)"))
        }
        var others = holdings
        if let held { others.remove(held) }
        let freeCPU = capacity.cpu - others.cpu
        let freeMem = capacity.mem - others.mem
        let growsCPU = requested.cpu > (held?.cpu ?? .zero)
        let growsMem = requested.mem > (held?.mem ?? .zero)
        if growsCPU, requested.cpu > freeCPU {
            let fits = min(freeCPU, userMax.cpu)
            return .failure(Refusal(resource: .cpu, bound: .available, requested: requested.cpu.withUnit,
                                    limit: "\(freeCPU.withUnit) free", fits: fits.withUnit))
        }
        if growsMem, requested.mem > freeMem {
            let fits = min(freeMem, userMax.mem)
            return .failure(Refusal(resource: .mem, bound: .available, requested: "\(requested.mem)",
                                    limit: "\(freeMem) free", fits: "\(fits)"))
        }
        return .success(requested)
    }
}
