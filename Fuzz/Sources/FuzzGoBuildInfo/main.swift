import Engine
import FuzzDriver

/// The `.go.buildinfo` section of any executable a listener runs.
@_cdecl("LLVMFuzzerTestOneInput")
public func goBuildInfoFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let info = GoBuildInfo.parse(Array(UnsafeBufferPointer(start: data, count: size))) {
        precondition(info.version.hasPrefix("go"))
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { goBuildInfoFuzz($0, $1) }
