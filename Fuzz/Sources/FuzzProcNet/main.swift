import Engine
import FuzzDriver

/// `/proc/net/{tcp,tcp6,udp,udp6}` (also `/proc/PID/net/*` of another namespace): the first
/// byte picks the file, the rest is its text.
@_cdecl("LLVMFuzzerTestOneInput")
public func procNetFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let selector = bytes.first else { return 0 }
    let proto: TransportProtocol = selector & 1 == 0 ? .tcp : .udp
    let family: AddressFamily = selector & 2 == 0 ? .ipv4 : .ipv6
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    for socket in ProcNetParser.parse(text, proto: proto, family: family, netns: 1) {
        precondition(socket.proto == proto && socket.family == family)
    }
    return 0
}

discotop_fuzz(CommandLine.argc, CommandLine.unsafeArgv) { procNetFuzz($0, $1) }
