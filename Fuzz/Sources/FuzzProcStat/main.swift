@testable import Engine
import FuzzDriver

/// `/proc/PID/stat`, whose comm a process chooses. `parse(buffer:)` is the scanner's path
/// (no copy), so out-of-bounds reads of the fuzzer's buffer are caught.
@_cdecl("LLVMFuzzerTestOneInput")
public func procStatFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let stat = ProcStat.parse(buffer: bytes) {
        precondition(stat.comm.count < size)
        precondition(ProcStat.parse(Array(bytes)) == stat)
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { procStatFuzz($0, $1) }
