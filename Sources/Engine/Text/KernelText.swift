/// Names the kernel hands out (comm, the exe link) are bytes, and any bytes but NUL: a process
/// may call itself `\xff\xfe`. Swift text cannot hold bytes that are not UTF-8, so they become
/// U+FFFD, and the bytes are kept beside the text for the one place that must not lose them:
/// JSON (`comm_bytes`, `exe_bytes`).
public enum KernelText {
    /// `bytes` as text, and the bytes themselves when they are not valid UTF-8 (nil when the
    /// text says it all).
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (text: String, invalidBytes: [UInt8]?) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, nil) }
        return (String(decoding: bytes, as: UTF8.self), Array(bytes))
    }
}
