import FoundationEssentials

/// The compiled BPF objects, embedded by the BPFObjects build plugin from `bpf/*.bpf.c`.
enum BPFObjects {
    static let watcher: [UInt8] = decode(watcherObjectBase64)
    static let iterator: [UInt8] = decode(iteratorObjectBase64)

    private static func decode(_ text: String) -> [UInt8] {
        // The build wrote this text itself: a decoding failure is a broken build, not input.
        guard let data = Data(base64Encoded: text) else { fatalError("discotop: embedded BPF object is corrupt") }
        return [UInt8](data)
    }
}
