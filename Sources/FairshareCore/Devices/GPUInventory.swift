/// The GPUs a machine has: the nodes handed out one per GPU, and which of
/// NVIDIA's shared control nodes exist.
public struct GPUInventory: Equatable, Sendable {
    public var nodes: [String]
    public var controlNodes: Set<String>

    public init(nodes: [String] = [], controlNodes: Set<String> = []) {
        self.nodes = nodes
        self.controlNodes = controlNodes
    }
}
