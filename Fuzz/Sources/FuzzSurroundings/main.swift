@testable import Engine
import FuzzDriver

/// `/proc/PID/cgroup` and `/proc/PID/environ`: the paths a container manager names and the
/// variables a process sets are theirs to choose. The same bytes go to both parsers.
@_cdecl("LLVMFuzzerTestOneInput")
public func surroundingsFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let placement = CgroupPlacement.parse(String(decoding: bytes, as: UTF8.self)) {
        if let id = placement.containerID { precondition(id.count == 64 && placement.runtime != nil) }
        if let unit = placement.systemdUnit { precondition(placement.path.contains(unit)) }
    }
    if let sign = OTelExport.evidence(environ: bytes) {
        precondition(OTelExport.signs.contains { $0.variable == sign })
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { surroundingsFuzz($0, $1) }
