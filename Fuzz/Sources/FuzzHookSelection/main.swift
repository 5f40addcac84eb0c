import Engine
import FuzzDriver

/// `--hook CONCERN=TIER` arguments, one per line of the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func hookSelectionFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let items = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    do {
        let choices = try HookSelection.parse(items)
        precondition(choices.count <= items.count)
    } catch {
        _ = error.description
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { hookSelectionFuzz($0, $1) }
