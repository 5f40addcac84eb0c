import Engine
import FuzzDriver

/// An `instrument` selector's glob (first line) matched against a process's text (the rest):
/// both come from outside, the pattern from a config file and the text from a process.
@_cdecl("LLVMFuzzerTestOneInput")
public func globFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let pattern = String(parts[0])
    let text = parts.count > 1 ? String(parts[1]) : ""
    do {
        let glob = try Glob(pattern)
        _ = glob.matches(text)
        // With no special character a glob is its own literal text.
        if !pattern.unicodeScalars.contains(where: { "*?[{\\".unicodeScalars.contains($0) }) {
            precondition(glob.matches(pattern), "literal glob does not match itself: \(pattern)")
        }
    } catch {
        _ = error.description
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { globFuzz($0, $1) }
