/// Whose listing (the caller's uid) of which slice (its user's uid): the
/// key of `list`'s CPU % readings.
struct ListerSlice: Hashable {
    var lister: UInt32
    var slice: UInt32
}
