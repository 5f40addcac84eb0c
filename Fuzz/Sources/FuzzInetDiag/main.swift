import Engine
import FuzzDriver

/// One `recv` of a NETLINK_SOCK_DIAG dump answer. The parser reads the fuzzer's own buffer,
/// not a copy, so any read past its end is an address sanitizer report.
@_cdecl("LLVMFuzzerTestOneInput")
public func inetDiagFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: size)
    for proto in [TransportProtocol.tcp, .udp] {
        let batch = InetDiag.parse(buffer, proto: proto, netns: 1)
        precondition(batch.sockets.allSatisfy { $0.proto == proto })
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { inetDiagFuzz($0, $1) }
